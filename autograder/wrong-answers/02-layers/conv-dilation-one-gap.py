# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: counts one gap of dilation - 1 pixels instead of one between every two taps
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = kernel_size + dilation - 1
    return (size + 2 * padding - span) // stride + 1
