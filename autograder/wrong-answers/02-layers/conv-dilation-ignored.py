# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: retypes the lesson's formula, which is right for dilation=1 only
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - kernel_size) // stride + 1
