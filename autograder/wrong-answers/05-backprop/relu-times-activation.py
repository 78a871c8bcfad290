# cell: relu-backward
# loses: relu-backward-tests
# mistake: multiplies grad_out by relu(x) instead of the mask x > 0
def relu_backward(x, grad_out):
    return grad_out * torch.relu(x)
