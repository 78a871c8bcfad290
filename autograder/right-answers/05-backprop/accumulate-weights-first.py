# cell: per-batch-gradients
# scores: per-batch-gradients-tests
# style: shares from a tensor of sizes first; detached loss sum, float()
def accumulate_gradients(model, loss_fn, micro_batches):
    sizes = torch.tensor([len(X) for X, _ in micro_batches], dtype=torch.float64)
    shares = (sizes / sizes.sum()).tolist()
    for p in model.parameters():
        p.grad = None
    mean_loss = 0
    for (X, y), share in zip(micro_batches, shares, strict=True):
        loss = share * loss_fn(model(X), y)
        loss.backward()
        mean_loss = mean_loss + loss.detach()
    return float(mean_loss)
