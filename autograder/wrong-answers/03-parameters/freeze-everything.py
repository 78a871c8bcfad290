# cell: freeze-all-but-last
# loses: freeze-all-but-last-tests
# mistake: freezes the last layer too
def freeze_all_but_last(model):
    for param in model.parameters():
        param.requires_grad_(False)
