# cell: freeze-all-but-last
# scores: freeze-all-but-last-tests
# style: a loop over named parameters
def freeze_all_but_last(model):
    last = {id(p) for p in model[-1].parameters()}
    for p in model.parameters():
        p.requires_grad = id(p) in last
