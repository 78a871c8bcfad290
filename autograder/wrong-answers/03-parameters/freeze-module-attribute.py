# cell: freeze-all-but-last
# loses: freeze-all-but-last-tests
# mistake: sets requires_grad on the module objects, which freezes nothing
def freeze_all_but_last(model):
    for module in model[:-1]:
        module.requires_grad = False
