# cell: save-load
# loses: save-load-tests
# mistake: str.lstrip removes leading characters of a set, not a prefix
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    if set(state) != set(model.state_dict()):
        state = {
            key.lstrip("module.").lstrip("_orig_mod.").lstrip("module."): value  # noqa: B005
            for key, value in state.items()
        }
    model.load_state_dict(state)
    return model
