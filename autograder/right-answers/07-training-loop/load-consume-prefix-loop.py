# cell: save-load
# scores: save-load-tests
# style: torch's consume_prefix_in_state_dict_if_present, in a loop that compares keys
def load_weights(model, path):
    from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present

    state = torch.load(str(path), map_location="cpu", weights_only=True)
    wanted = model.state_dict().keys()
    while len(state) and state.keys() != wanted:
        first = next(iter(state))
        prefix = "module." if first.startswith("module.") else "_orig_mod."
        if not all(key.startswith(prefix) for key in state):
            break
        consume_prefix_in_state_dict_if_present(state, prefix)
    model.load_state_dict(state, strict=True)
    return model
