# cell: batch-with-padding
# loses: batch-with-padding-tests
# mistake: pads to the first sequence's length (F.pad cuts longer ones), not the longest
import torch.nn.functional as F


def batch_with_padding(sequences, value=0):
    length = len(sequences[0])
    batch = torch.stack(
        [F.pad(s, (0, length - len(s)), value=value) for s in sequences]
    )
    lengths = torch.tensor([len(s) for s in sequences], device=batch.device)
    mask = torch.arange(length, device=batch.device) < lengths[:, None]
    return batch, mask
