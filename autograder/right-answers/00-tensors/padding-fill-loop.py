# cell: batch-with-padding
# scores: batch-with-padding-tests
# style: torch.full in the sequences' dtype and device, each row copied in a loop
def batch_with_padding(sequences, value=0):
    first = sequences[0]
    longest = max(len(s) for s in sequences)
    shape = (len(sequences), longest)
    batch = torch.full(shape, value, dtype=first.dtype, device=first.device)
    mask = torch.zeros(shape, dtype=torch.bool, device=first.device)
    for i, s in enumerate(sequences):
        batch[i, : len(s)] = s
        mask[i, : len(s)] = True
    return batch, mask
