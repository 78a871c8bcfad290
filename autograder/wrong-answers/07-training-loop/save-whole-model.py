# cell: save-load
# loses: save-load-tests
# mistake: pickles the whole model instead of its state_dict
def save_weights(model, path):
    torch.save(model, path)


def load_weights(model, path):
    return torch.load(path, weights_only=False)
