# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: torch.full((N, L), value) takes the dtype of value, not of the sequences
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    device = sequences[0].device
    batch = torch.full((len(sequences), longest), value, device=device)
    mask = torch.zeros(len(sequences), longest, dtype=torch.bool, device=device)
    for i, s in enumerate(sequences):
        batch[i, : len(s)] = s
        mask[i, : len(s)] = True
    return batch, mask
