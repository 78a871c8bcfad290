# cell: relu-backward
# loses: relu-backward-tests
# mistake: asks autograd for the gradient instead of writing the mask
def relu_backward(x, grad_out):
    with torch.enable_grad():
        leaf = x.detach().requires_grad_()
        torch.relu(leaf).backward(grad_out)
    return leaf.grad
