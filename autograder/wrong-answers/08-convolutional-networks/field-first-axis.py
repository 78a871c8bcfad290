# cell: receptive-field
# loses: receptive-field-tests
# mistake: a pair setting read as its first number for both axes
def receptive_field(layers):
    def pair(value):  # kernel_size=3 means (3, 3)
        return (value, value) if isinstance(value, int) else (value[0], value[0])

    field, spacing = [1, 1], [1, 1]  # per axis: pixels seen, pixels per step
    for layer in layers:
        if not isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            continue  # BatchNorm2d, ReLU, Dropout: one value in, one out
        kernel, stride = pair(layer.kernel_size), pair(layer.stride)
        dilation = pair(getattr(layer, "dilation", 1))  # AvgPool2d has none
        for axis in range(2):
            # k taps, d values apart, each value `spacing` input pixels apart
            field[axis] += (kernel[axis] - 1) * dilation[axis] * spacing[axis]
            spacing[axis] *= stride[axis]
    return tuple(field)
