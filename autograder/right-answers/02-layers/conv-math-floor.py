# cell: conv-output-size
# scores: conv-output-size-tests
# style: math.floor of a true division, which returns an int
import math


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    last_start = size + 2 * padding - (dilation * (kernel_size - 1) + 1)
    return math.floor(last_start / stride) + 1
