# cell: predict
# loses: predict-tests
# mistake: argmax over dim=0, the batch, instead of the classes
def predict(model, X):
    return model(X).argmax(dim=0)
