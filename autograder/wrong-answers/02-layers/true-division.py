# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: true division / instead of floor division, returning a float
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1
