# cell: make-mlp
# loses:
# status: ok
# message: Cell make-mlp printed an output of
# attack: prints 100 MB, then gives the right answer
from torch import nn

print("x" * 100_000_000)


def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
