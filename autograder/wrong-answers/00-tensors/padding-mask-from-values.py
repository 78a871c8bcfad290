# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: the mask compares the batch with value; a sequence may hold value itself
def batch_with_padding(sequences, value=0):
    longest = max(len(s) for s in sequences)
    batch = torch.stack(
        [torch.cat([s, s.new_full((longest - len(s),), value)]) for s in sequences]
    )
    return batch, batch != value
