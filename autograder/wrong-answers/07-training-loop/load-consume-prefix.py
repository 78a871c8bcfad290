# cell: save-load
# loses: save-load-tests
# mistake: torch's consume_prefix_in_state_dict_if_present on every file
def load_weights(model, path):
    from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present

    state = torch.load(path, weights_only=True)
    for prefix in ("module.", "_orig_mod.", "module."):
        consume_prefix_in_state_dict_if_present(state, prefix)
    model.load_state_dict(state)
    return model
