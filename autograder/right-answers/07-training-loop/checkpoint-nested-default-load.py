# cell: checkpoint
# scores: checkpoint-tests
# style: other keys, a nested dict, torch.load(path, map_location="cpu")
def save_checkpoint(path, model, optimizer, scheduler, epoch):
    states = {
        name: part.state_dict()
        for name, part in (
            ("weights", model),
            ("optim", optimizer),
            ("schedule", scheduler),
        )
    }
    torch.save({"states": states, "epochs_done": int(epoch)}, path)


def load_checkpoint(path, model, optimizer, scheduler):
    saved = torch.load(path, map_location="cpu")
    model.load_state_dict(saved["states"]["weights"])
    optimizer.load_state_dict(saved["states"]["optim"])
    scheduler.load_state_dict(saved["states"]["schedule"])
    return saved["epochs_done"]
