# cell: save-load
# loses: save-load-tests
# mistake: loads the file as it is, the wrappers' prefixes left on the keys
def load_weights(model, path):
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
