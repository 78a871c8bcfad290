# cell: freeze-all-but-last
# loses: freeze-all-but-last-tests
# mistake: freezes only the first layer, as in the lesson
def freeze_all_but_last(model):
    model[0].requires_grad_(False)
