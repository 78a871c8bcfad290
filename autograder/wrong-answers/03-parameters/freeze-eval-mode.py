# cell: freeze-all-but-last
# loses: freeze-all-but-last-tests
# mistake: also switches the frozen layers to eval mode, which freezing does not ask for
def freeze_all_but_last(model):
    for module in model[:-1]:
        module.requires_grad_(False)
        module.eval()
    model[-1].requires_grad_(True)
