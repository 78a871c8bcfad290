# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: rebuilds the batch from Python lists, which cuts the autograd graph
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    rows = [s.tolist() + [value] * (longest - len(s)) for s in sequences]
    batch = torch.tensor(rows, dtype=sequences[0].dtype, device=sequences[0].device)
    lengths = torch.tensor([len(s) for s in sequences], device=batch.device)
    mask = torch.arange(longest, device=batch.device) < lengths[:, None]
    return batch, mask
