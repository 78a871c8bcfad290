# cell: cross-entropy-backward
# scores: cross-entropy-backward-tests
# style: F.softmax, and the one-hot rows picked from an identity matrix
def cross_entropy_backward(logits, y):
    C = logits.shape[1]
    targets = torch.eye(C, dtype=logits.dtype)[y]
    return (F.softmax(logits, dim=-1) - targets) / len(logits)
