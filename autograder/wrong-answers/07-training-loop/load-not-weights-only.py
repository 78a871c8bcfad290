# cell: save-load
# loses: save-load-tests
# mistake: torch.load(path, weights_only=False), which runs whatever code the file holds
def save_weights(model, path):
    torch.save(model.state_dict(), path)


def load_weights(model, path):
    model.load_state_dict(torch.load(path, weights_only=False))
    return model
