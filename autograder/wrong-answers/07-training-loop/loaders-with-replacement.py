# cell: make-loaders
# loses: make-loaders-tests
# mistake: draws the training samples with replacement
def make_loaders(train_set, val_set, batch_size, seed):
    from torch.utils.data import RandomSampler

    generator = torch.Generator().manual_seed(seed)
    sampler = RandomSampler(train_set, replacement=True, generator=generator)
    train_loader = DataLoader(train_set, batch_size=batch_size, sampler=sampler,
                              generator=generator)
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return train_loader, val_loader
