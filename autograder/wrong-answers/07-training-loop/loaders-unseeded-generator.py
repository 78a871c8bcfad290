# cell: make-loaders
# loses: make-loaders-tests
# mistake: a generator of its own, never seeded with seed
def make_loaders(train_set, val_set, batch_size, seed):
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              generator=torch.Generator())
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return train_loader, val_loader
