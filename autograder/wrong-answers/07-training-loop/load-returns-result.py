# cell: save-load
# loses: save-load-tests
# mistake: returns what load_state_dict returns (the keys it missed), not the model
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    own = set(model.state_dict())
    wrappers = ("module.", "_orig_mod.")
    while state and set(state) != own:
        carried = [p for p in wrappers if all(k.startswith(p) for k in state)]
        prefix = carried[0] if carried else None
        if prefix is None:
            break
        state = {key.removeprefix(prefix): value for key, value in state.items()}
    return model.load_state_dict(state)
