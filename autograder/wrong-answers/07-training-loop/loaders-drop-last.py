# cell: make-loaders
# loses: make-loaders-tests
# mistake: the training loader drops the last, smaller batch
def make_loaders(train_set, val_set, batch_size, seed):
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              drop_last=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return train_loader, val_loader
