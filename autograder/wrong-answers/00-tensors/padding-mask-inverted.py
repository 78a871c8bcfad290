# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: the mask is True on the padding (key_padding_mask's way), not on the entries
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    batch = torch.stack(
        [torch.cat([s, s.new_full((longest - len(s),), value)]) for s in sequences]
    )
    lengths = torch.tensor([len(s) for s in sequences], device=batch.device)
    mask = torch.arange(longest, device=batch.device) >= lengths[:, None]
    return batch, mask
