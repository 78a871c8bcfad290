# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: puts the padding before each sequence (left padding) instead of after it
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    batch = torch.stack(
        [torch.cat([s.new_full((longest - len(s),), value), s]) for s in sequences]
    )
    lengths = torch.tensor([len(s) for s in sequences], device=batch.device)
    mask = torch.arange(longest, device=batch.device) >= longest - lengths[:, None]
    return batch, mask
