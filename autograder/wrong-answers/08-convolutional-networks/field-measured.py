# cell: receptive-field
# loses: receptive-field-tests
# mistake: measures by running the layers, as the lesson did (meta: no values)
import copy


def receptive_field(layers, size=72):
    model = copy.deepcopy(nn.Sequential(*layers)).eval()
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, nn.Conv2d):
                layer.weight.fill_(1.0)
                if layer.bias is not None:
                    layer.bias.zero_()
        lines = torch.eye(size).reshape(size, 1, size, 1)
        inputs = torch.cat([lines.expand(-1, -1, -1, size),
                            lines.transpose(2, 3).expand(-1, -1, size, -1)])
        before = model(torch.zeros(1, 1, size, size))[0, 0]
        row, col = before.shape[0] // 2, before.shape[1] // 2
        after = model(inputs)[:, 0, row, col]
        changed = ((after - before[row, col]).abs() > 1e-3).nonzero().flatten()
    rows, cols = changed[changed < size], changed[changed >= size] - size
    return (int(rows.max() - rows.min()) + 1, int(cols.max() - cols.min()) + 1)
