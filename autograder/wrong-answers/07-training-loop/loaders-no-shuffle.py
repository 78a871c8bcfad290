# cell: make-loaders
# loses: make-loaders-tests
# mistake: the training loader does not shuffle
def make_loaders(train_set, test_set, batch_size):
    train_loader = DataLoader(train_set, batch_size=batch_size)
    test_loader = DataLoader(test_set, batch_size=batch_size)
    return train_loader, test_loader
