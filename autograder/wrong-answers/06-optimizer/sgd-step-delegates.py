# cell: sgd-step
# loses: sgd-step-tests
# mistake: hands the update to a torch.optim.SGD instead of writing it
def sgd_step(params, lr):
    torch.optim.SGD(params, lr=lr).step()
