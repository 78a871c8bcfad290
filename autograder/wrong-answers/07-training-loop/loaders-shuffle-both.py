# cell: make-loaders
# loses: make-loaders-tests
# mistake: the test loader shuffles too
def make_loaders(train_set, test_set, batch_size):
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=batch_size, shuffle=True)
    return train_loader, test_loader
