# cell: save-load
# loses: save-load-tests
# mistake: strips the prefixes whenever all keys carry one, the model's own too
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    stripped = True
    while state and stripped:
        stripped = False
        for prefix in ("module.", "_orig_mod."):
            if all(key.startswith(prefix) for key in state):
                state = {k.removeprefix(prefix): v for k, v in state.items()}
                stripped = True
    model.load_state_dict(state)
    return model
