# cell: save-load
# loses: save-load-tests
# mistake: str.replace removes the words anywhere in a key, the model's own too
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    state = {
        key.replace("module.", "").replace("_orig_mod.", ""): value
        for key, value in state.items()
    }
    model.load_state_dict(state)
    return model
