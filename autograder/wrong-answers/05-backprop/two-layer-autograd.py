# cell: two-layer-backward
# loses: two-layer-backward-tests
# mistake: lets autograd do the work with backward() instead of computing by hand
def two_layer_backward(X, y, W1, b1, W2, b2):
    params = [t.clone().requires_grad_() for t in (W1, b1, W2, b2)]
    logits = torch.relu(X @ params[0].T + params[1]) @ params[2].T + params[3]
    F.cross_entropy(logits, y).backward()
    return tuple(p.grad for p in params)
