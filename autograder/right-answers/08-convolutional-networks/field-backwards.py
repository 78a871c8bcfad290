# cell: receptive-field
# scores: receptive-field-tests
# style: from the output back: r values of an output cover s * (r - 1) + span
def receptive_field(layers):
    heights, widths = [], []
    for layer in layers:
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            kernel = layer.kernel_size
            stride = layer.stride
            dilation = layer.dilation if hasattr(layer, "dilation") else 1
            for settings, axis in ((heights, 0), (widths, 1)):
                k, s, d = (v if isinstance(v, int) else v[axis]
                           for v in (kernel, stride, dilation))
                settings.append((d * (k - 1) + 1, s))
    result = []
    for settings in (heights, widths):
        field = 1
        for span, stride in reversed(settings):
            field = stride * (field - 1) + span
        result.append(field)
    return result[0], result[1]
