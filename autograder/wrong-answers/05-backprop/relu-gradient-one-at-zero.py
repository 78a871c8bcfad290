# cell: relu-backward
# loses: relu-backward-tests
# mistake: passes the gradient where x == 0 (x >= 0), unlike PyTorch
def relu_backward(x, grad_out):
    return grad_out * (x >= 0)
