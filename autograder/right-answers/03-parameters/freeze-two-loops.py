# cell: freeze-all-but-last
# scores: freeze-all-but-last-tests
# style: two loops that set the flag on each parameter
def freeze_all_but_last(model):
    for param in model.parameters():
        param.requires_grad = False
    for param in model[-1].parameters():
        param.requires_grad = True
