# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: rounds up with math.ceil instead of taking the floor
import math


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    return math.ceil((size + 2 * padding - span) / stride) + 1
