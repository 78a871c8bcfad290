# cell: make-loaders
# scores: make-loaders-tests
# style: BatchSampler over a RandomSampler, a list of two loaders built in a loop
def make_loaders(train_set, val_set, batch_size, seed):
    from torch.utils.data import BatchSampler, RandomSampler, SequentialSampler

    loaders = []
    for dataset, shuffle in ((train_set, True), (val_set, False)):
        generator = torch.Generator(device="cpu").manual_seed(seed)
        if shuffle:
            order = RandomSampler(dataset, generator=generator)
        else:
            order = SequentialSampler(dataset)
        batches = BatchSampler(order, batch_size=batch_size, drop_last=False)
        loaders.append(DataLoader(dataset, batch_sampler=batches, generator=generator))
    return tuple(loaders)
