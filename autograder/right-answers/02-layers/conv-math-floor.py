# cell: conv-output-size
# scores: conv-output-size-tests
# style: math.floor of a true division, which returns an int
import math


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return math.floor((size + 2 * padding - kernel_size) / stride) + 1
