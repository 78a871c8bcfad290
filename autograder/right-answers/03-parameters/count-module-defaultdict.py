# cell: count-parameters
# scores: count-parameters-tests
# style: a defaultdict returned as it is; math.prod of the shape; split by hand
import math
from collections import defaultdict


def count_by_module(model):
    counts = defaultdict(int)
    for name, param in model.named_parameters():
        parts = name.split(".")
        counts[".".join(parts[:-1])] += math.prod(param.shape)
    return counts
