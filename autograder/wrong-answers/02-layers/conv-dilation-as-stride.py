# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: takes dilation for a second stride, dividing the positions by it
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - kernel_size) // (stride * dilation) + 1
