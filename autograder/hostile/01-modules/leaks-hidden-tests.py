# cell: make-mlp
# loses:
# status: review
# message: (IPython's hooks)
# attack: prints the source of every cell before it runs, and of every cell
#   run so far from the input history and linecache after each cell
import linecache

ip = get_ipython()  # noqa: F821
ip.events.register("pre_run_cell", lambda info: print(info.raw_cell))
ip.events.register("post_run_cell", lambda result: print(In, _ih))  # noqa: F821
print(linecache.cache)


from torch import nn  # noqa: E402


def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
    return nn.Sequential(*layers)
