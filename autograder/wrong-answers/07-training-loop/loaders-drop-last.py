# cell: make-loaders
# loses: make-loaders-tests
# mistake: drop_last=True: the samples of the last, smaller batch are never used
def make_loaders(train_set, test_set, batch_size):
    train_loader = DataLoader(
        train_set, batch_size=batch_size, shuffle=True, drop_last=True
    )
    test_loader = DataLoader(test_set, batch_size=batch_size, shuffle=False)
    return train_loader, test_loader
