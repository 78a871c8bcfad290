# cell: save-load
# loses: save-load-tests
# mistake: removes nn.DataParallel's prefix module. only, not _orig_mod.
def load_weights(model, path):
    state = torch.load(path, weights_only=True)
    own = set(model.state_dict())
    while state and set(state) != own and all(k.startswith("module.") for k in state):
        state = {key[len("module."):]: value for key, value in state.items()}
    model.load_state_dict(state)
    return model
