# cell: make-loaders
# loses: make-loaders-tests
# mistake: torch.manual_seed(seed), not a generator of the loaders' own
def make_loaders(train_set, val_set, batch_size, seed):
    torch.manual_seed(seed)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=batch_size)
    return train_loader, val_loader
