# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: leaves the padding out of the formula
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size - dilation * (kernel_size - 1) - 1) // stride + 1
