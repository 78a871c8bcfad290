# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: writes the padded sequences back into the caller's list
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    lengths = [len(s) for s in sequences]
    for i, s in enumerate(sequences):
        sequences[i] = torch.cat([s, s.new_full((longest - len(s),), value)])
    batch = torch.stack(sequences)
    positions = torch.arange(longest, device=batch.device)
    mask = positions < torch.tensor(lengths, device=batch.device)[:, None]
    return batch, mask
