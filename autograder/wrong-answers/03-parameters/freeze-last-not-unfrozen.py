# cell: freeze-all-but-last
# loses: freeze-all-but-last-tests
# mistake: never sets the last layer back to trainable when it was frozen before
def freeze_all_but_last(model):
    for param in model[:-1].parameters():
        param.requires_grad = False
