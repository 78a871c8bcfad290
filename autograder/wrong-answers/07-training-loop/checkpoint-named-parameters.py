# cell: checkpoint
# loses: checkpoint-tests
# mistake: saves named_parameters() only: BatchNorm's running statistics are lost
def save_checkpoint(path, model, optimizer, scheduler, epoch):
    torch.save(
        {
            "model": dict(model.named_parameters()),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "epoch": epoch,
        },
        path,
    )


def load_checkpoint(path, model, optimizer, scheduler):
    checkpoint = torch.load(path, weights_only=True)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            parameter.copy_(checkpoint["model"][name])
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    return checkpoint["epoch"]
