# cell: relu-backward
# loses: relu-backward-tests
# mistake: masks with grad_out > 0 instead of the ReLU's input x > 0
def relu_backward(x, grad_out):
    return grad_out * (grad_out > 0)
