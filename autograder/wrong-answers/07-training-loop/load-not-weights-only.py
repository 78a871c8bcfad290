# cell: save-load
# loses: save-load-tests
# mistake: weights_only=False, so a file can run code while it is read
def load_weights(model, path):
    state = torch.load(path, weights_only=False)
    own = set(model.state_dict())
    wrappers = ("module.", "_orig_mod.")
    while state and set(state) != own:
        carried = [p for p in wrappers if all(k.startswith(p) for k in state)]
        prefix = carried[0] if carried else None
        if prefix is None:
            break
        state = {key.removeprefix(prefix): value for key, value in state.items()}
    model.load_state_dict(state)
    return model
