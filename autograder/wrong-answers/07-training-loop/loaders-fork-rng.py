# cell: make-loaders
# loses: make-loaders-tests
# mistake: seeds the global generator in torch.random.fork_rng: iterating draws from it
def make_loaders(train_set, val_set, batch_size, seed):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
        val_loader = DataLoader(val_set, batch_size=batch_size)
    return train_loader, val_loader
