# cell: checkpoint
# loses: checkpoint-tests
# mistake: pickles the objects themselves, which needs weights_only=False to load
def save_checkpoint(path, model, optimizer, scheduler, epoch):
    torch.save(
        {
            "model": model,
            "optimizer": optimizer,
            "scheduler": scheduler,
            "epoch": epoch,
        },
        path,
    )


def load_checkpoint(path, model, optimizer, scheduler):
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"].state_dict())
    optimizer.load_state_dict(checkpoint["optimizer"].state_dict())
    scheduler.load_state_dict(checkpoint["scheduler"].state_dict())
    return checkpoint["epoch"]
