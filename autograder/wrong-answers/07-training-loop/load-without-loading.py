# cell: save-load
# loses: save-load-tests
# mistake: load_weights reads the file but never loads it into the model
def save_weights(model, path):
    torch.save(model.state_dict(), path)


def load_weights(model, path):
    torch.load(path, weights_only=True)
    return model
