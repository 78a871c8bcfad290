# cell: save-load
# loses: save-load-tests
# mistake: removes module. then _orig_mod., each once: not _orig_mod.module.
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    if set(state) != set(model.state_dict()):
        for prefix in ("module.", "_orig_mod."):
            if all(key.startswith(prefix) for key in state):
                state = {k.removeprefix(prefix): v for k, v in state.items()}
    model.load_state_dict(state)
    return model
