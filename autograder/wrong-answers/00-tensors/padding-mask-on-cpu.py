# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: makes the mask on the CPU whatever the sequences' device (a missing device=)
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    batch = torch.stack(
        [torch.cat([s, s.new_full((longest - len(s),), value)]) for s in sequences]
    )
    lengths = torch.tensor([len(s) for s in sequences])
    mask = torch.arange(longest) < lengths[:, None]
    return batch, mask
