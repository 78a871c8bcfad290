# cell: make-mlp
# loses:
# status: ok
# message: that the grader removed: each output may have 200 kB, a notebook's outputs 2 MB
# attack: shows 80 outputs of 150 kB each (each under the 200 kB cap), then gives the right answer
from IPython.display import display
from torch import nn

for number in range(80):
    display({"text/plain": f"{number:02d}" + "x" * 150_000}, raw=True)


def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
