# cell: make-loaders
# loses: make-loaders-tests
# mistake: one generator for all calls: a second call reseeds the first's
shuffling = torch.Generator()


def make_loaders(train_set, val_set, batch_size, seed):
    shuffling.manual_seed(seed)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              generator=shuffling)
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return train_loader, val_loader
