# cell: save-load
# loses: save-load-tests
# mistake: removes any first name while the keys differ, not only the wrappers'
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    own = set(model.state_dict())
    while state and set(state) != own and all("." in key for key in state):
        state = {key.split(".", 1)[1]: value for key, value in state.items()}
    model.load_state_dict(state)
    return model
