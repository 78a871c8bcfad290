# cell: predict
# loses: predict-tests
# mistake: calls model.forward(X) directly, skipping hooks
def predict(model, X):
    return model.forward(X).argmax(dim=1)
