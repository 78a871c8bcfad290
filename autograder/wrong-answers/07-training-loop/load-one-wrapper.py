# cell: save-load
# loses: save-load-tests
# mistake: removes one wrapper's prefix at most, not those of two wrappers
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    if set(state) != set(model.state_dict()):
        for prefix in ("module.", "_orig_mod."):
            if all(key.startswith(prefix) for key in state):
                state = {k.removeprefix(prefix): v for k, v in state.items()}
                break
    model.load_state_dict(state)
    return model
