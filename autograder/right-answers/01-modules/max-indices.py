# cell: predict
# scores: predict-tests
# style: torch.max(..., dim=-1).indices under torch.no_grad()
def predict(model, X):
    with torch.no_grad():
        return torch.max(model(X), dim=-1).indices
