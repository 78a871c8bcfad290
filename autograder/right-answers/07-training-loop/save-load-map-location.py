# cell: save-load
# scores: save-load-tests
# style: str(path), map_location="cpu" with weights_only=True
def save_weights(model, path):
    state = model.state_dict()
    torch.save(state, str(path))


def load_weights(model, path):
    state = torch.load(str(path), map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model
