# cell: relu-backward
# scores: relu-backward-tests
# style: masked_fill where the input is not positive
def relu_backward(x, grad_out):
    return grad_out.masked_fill(x <= 0, 0.0)
