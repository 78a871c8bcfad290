# cell: save-load
# scores: save-load-tests
# style: a recursive helper that peels one wrapper at a time, slicing off the prefix
def unwrapped(state, own):
    """`state` with the wrappers' prefixes removed until its keys are `own`."""
    if set(state) == own:
        return state
    for prefix in ("_orig_mod.", "module."):
        if state and all(key[: len(prefix)] == prefix for key in state):
            return unwrapped({k[len(prefix) :]: v for k, v in state.items()}, own)
    return state


def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    model.load_state_dict(unwrapped(state, set(model.state_dict())))
    return model
