# cell: make-mlp
# loses:
# status: ok
# message: that the grader removed: each output may have 200 kB, a notebook's
# attack: shows 80 outputs of 150 kB (each under the cap), then answers right
from IPython.display import display
from torch import nn

for number in range(80):
    display({"text/plain": f"{number:02d}" + "x" * 150_000}, raw=True)


def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
