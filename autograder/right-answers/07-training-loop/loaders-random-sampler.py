# cell: make-loaders
# scores: make-loaders-tests
# style: an explicit RandomSampler for training, the default order for testing
def make_loaders(train_set, test_set, batch_size):
    from torch.utils.data import RandomSampler

    return (
        DataLoader(train_set, batch_size, sampler=RandomSampler(train_set)),
        DataLoader(test_set, batch_size),
    )
