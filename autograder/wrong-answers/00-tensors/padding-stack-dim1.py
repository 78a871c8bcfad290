# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: stacks along dim=1, one column per sequence: its shape looks right if N == L
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    padded = [torch.cat([s, s.new_full((longest - len(s),), value)]) for s in sequences]
    batch = torch.stack(padded, dim=1)
    lengths = torch.tensor([len(s) for s in sequences], device=batch.device)
    mask = torch.arange(longest, device=batch.device)[:, None] < lengths
    return batch, mask
