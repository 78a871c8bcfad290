# cell: make-loaders
# loses: make-loaders-tests
# mistake: the generator goes to a RandomSampler only, not to the loader
def make_loaders(train_set, val_set, batch_size, seed):
    from torch.utils.data import RandomSampler

    sampler = RandomSampler(train_set, generator=torch.Generator().manual_seed(seed))
    train_loader = DataLoader(train_set, batch_size=batch_size, sampler=sampler)
    val_loader = DataLoader(val_set, batch_size=batch_size,
                            generator=torch.Generator())
    return train_loader, val_loader
