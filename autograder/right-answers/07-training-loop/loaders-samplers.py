# cell: make-loaders
# scores: make-loaders-tests
# style: explicit samplers, the generator shared with the RandomSampler
def make_loaders(train_set, val_set, batch_size, seed):
    from torch.utils.data import RandomSampler, SequentialSampler

    shuffling = torch.Generator()
    shuffling.manual_seed(seed)
    train_loader = DataLoader(
        train_set,
        batch_size,
        sampler=RandomSampler(train_set, generator=shuffling),
        generator=shuffling,
    )
    val_loader = DataLoader(
        val_set,
        batch_size,
        sampler=SequentialSampler(val_set),
        generator=torch.Generator().manual_seed(seed),
    )
    return train_loader, val_loader
