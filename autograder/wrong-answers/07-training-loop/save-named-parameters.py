# cell: save-load
# loses: save-load-tests
# mistake: saves named_parameters() only: buffers (running statistics) are lost
def save_weights(model, path):
    torch.save({name: p.detach() for name, p in model.named_parameters()}, path)


def load_weights(model, path):
    model.load_state_dict(torch.load(path, weights_only=True), strict=False)
    return model
