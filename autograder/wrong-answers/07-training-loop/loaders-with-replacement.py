# cell: make-loaders
# loses: make-loaders-tests
# mistake: samples with replacement: some samples twice per epoch, others never
def make_loaders(train_set, test_set, batch_size):
    from torch.utils.data import RandomSampler

    sampler = RandomSampler(train_set, replacement=True)
    train_loader = DataLoader(train_set, batch_size=batch_size, sampler=sampler)
    test_loader = DataLoader(test_set, batch_size=batch_size)
    return train_loader, test_loader
