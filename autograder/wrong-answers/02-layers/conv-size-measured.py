# cell: conv-output-size
# loses: conv-output-size-tests
# mistake: runs an nn.Conv2d and measures its output instead of using the formula
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    conv = nn.Conv2d(1, 1, kernel_size, stride, padding, dilation)
    return conv(torch.zeros(1, 1, size, size)).shape[-1]
