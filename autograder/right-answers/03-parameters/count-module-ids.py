# cell: count-parameters
# scores: count-parameters-tests
# style: walks named_modules() and parameters(recurse=False), skipping parameters seen
def count_by_module(model):
    seen, counts = set(), {}
    for name, module in model.named_modules():
        own = [p for p in module.parameters(recurse=False) if id(p) not in seen]
        seen.update(id(p) for p in own)
        if own:
            counts[name] = sum(p.numel() for p in own)
    return counts
