# cell: save-load
# loses: save-load-tests
# mistake: copies the parameters by name and leaves the buffers as they were
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
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            parameter.copy_(state[name])
    return model
