# cell: make-loaders
# loses: make-loaders-tests
# mistake: returns the pair in the other order, (val_loader, train_loader)
def make_loaders(train_set, val_set, batch_size, seed):
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return val_loader, train_loader
