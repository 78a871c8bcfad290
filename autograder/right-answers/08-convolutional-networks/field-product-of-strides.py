# cell: receptive-field
# scores: receptive-field-tests
# style: 1 + a sum of (span - 1) times the product of the strides before
import math


def receptive_field(layers):
    windowed = [layer for layer in layers
                if type(layer) in (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)]

    def on_axis(value, axis):
        return value[axis] if isinstance(value, (tuple, list)) else value

    field = []
    for axis in (0, 1):
        strides = [on_axis(layer.stride, axis) for layer in windowed]
        field.append(1 + sum(
            (on_axis(layer.kernel_size, axis) - 1)
            * on_axis(getattr(layer, "dilation", 1), axis)
            * math.prod(strides[:index])
            for index, layer in enumerate(windowed)))
    return tuple(field)
