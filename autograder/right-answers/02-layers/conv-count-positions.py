# cell: conv-output-size
# scores: conv-output-size-tests
# style: counts the kernel's positions one by one, as the lesson describes them
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    last_tap = dilation * (kernel_size - 1)
    count, start = 0, 0
    while start + last_tap < size + 2 * padding:
        count += 1
        start += stride
    return count
