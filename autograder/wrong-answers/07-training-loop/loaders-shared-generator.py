# cell: make-loaders
# loses: make-loaders-tests
# mistake: the loaders share one generator: evaluating moves the training order
def make_loaders(train_set, val_set, batch_size, seed):
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                              generator=generator)
    val_loader = DataLoader(val_set, batch_size=batch_size, generator=generator)
    return train_loader, val_loader
