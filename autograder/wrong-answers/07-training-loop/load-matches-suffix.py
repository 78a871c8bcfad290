# cell: save-load
# loses: save-load-tests
# mistake: matches each of the model's keys to a file key that ends with it
def load_weights(model, path):
    saved = torch.load(path, weights_only=True)
    state = {}
    for name in model.state_dict():
        match = next(k for k in saved if k == name or k.endswith("." + name))
        state[name] = saved[match]
    model.load_state_dict(state)
    return model
