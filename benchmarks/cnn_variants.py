"""Chapter 08's shifted recipe with one thing changed: the search behind the
instructor guide's table of the CNN's budget (book/instructors.md).

Trains recipe (d) of benchmarks/training.py, the chapter's CNN on randomly
shifted images, with the options given, and prints the test accuracy after every
epoch, the accuracy on the test images shifted by 2 pixels and the training
time, then the course's budget line. The forward pass always runs under
autocast in bfloat16, as the chapter chooses on this machine. With every option
at its default, the CNN is the chapter's own SmallCNN; a changed channel count,
first kernel, layer order or classifier builds the same layers in this file.
Examples (the rows of the guide's table):

    .venv/bin/python benchmarks/cnn_variants.py --seed 1
    .venv/bin/python benchmarks/cnn_variants.py --channels 32,32 --epochs 11
    .venv/bin/python benchmarks/cnn_variants.py --optimizer sgd --lr 0.2 \
        --weight-decay 5e-4
    .venv/bin/python benchmarks/cnn_variants.py --order pool-last

A search, not a test: each run takes a minute or more; run one at a time on a
quiet machine, and compare times only between runs side by side.
"""

from __future__ import annotations

import argparse

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader, TensorDataset, default_collate
from training import (
    CNN_TARGETS,
    budget_line,
    chapter_definitions,
    cnn_data,
    evaluate,
    report,
    run,
    shifting_collate,
    small_cnn,
)

from nncourse import seed_everything

CHAPTER = "08-convolutional-networks"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--epochs", type=int, default=12)
    add("--seed", type=int, default=0)
    add("--batch-size", type=int, default=256)
    add("--lr", type=float, default=5e-3, help="the one-cycle schedule's peak")
    add("--warm-up", type=float, default=0.3, help="share of steps (pct_start)")
    add("--optimizer", choices=("adamw", "sgd"), default="adamw")
    add("--weight-decay", type=float, default=0.01)
    add("--beta2", type=float, default=0.999, help="AdamW's second beta")
    add("--channels", default="16,32", help="of the two convolutions")
    add("--first-kernel", type=int, default=3)
    add("--hidden", type=int, default=128, help="units of the classifier")
    add("--dropout", type=float, default=0.25)
    add(
        "--order",
        choices=("pool-first", "pool-last", "stride"),
        default="pool-first",
        help="pool-first: the chapter's; pool-last: conv-BN-ReLU-pool; stride: "
        "a stride-2 first convolution instead of the first pooling",
    )
    add("--shift-probability", type=float, default=0.5)
    add("--max-shift", type=int, default=2)
    add("--ema", type=float, default=None, help="also evaluate an EMA (decay)")
    return parser.parse_args()


def variant_cnn(args) -> nn.Module:
    """The chapter's SmallCNN, or the same layers with the changes asked for."""
    first, second = (int(count) for count in args.channels.split(","))
    chapter_layers = (first, second, args.first_kernel, args.order) == (
        16,
        32,
        3,
        "pool-first",
    )
    if chapter_layers and (args.hidden, args.dropout) == (128, 0.25):
        return small_cnn()
    kernel = args.first_kernel
    conv1 = nn.Conv2d(1, first, kernel, padding=kernel // 2, bias=False)
    conv2 = nn.Conv2d(first, second, 3, padding=1, bias=False)
    norm1, norm2 = nn.BatchNorm2d(first), nn.BatchNorm2d(second)
    if args.order == "pool-first":
        blocks = [conv1, nn.MaxPool2d(2), norm1, nn.ReLU()]
        blocks += [conv2, nn.MaxPool2d(2), norm2, nn.ReLU()]
    elif args.order == "pool-last":
        blocks = [conv1, norm1, nn.ReLU(), nn.MaxPool2d(2)]
        blocks += [conv2, norm2, nn.ReLU(), nn.MaxPool2d(2)]
    else:
        conv1.stride = (2, 2)
        blocks = [conv1, norm1, nn.ReLU()]
        blocks += [conv2, nn.MaxPool2d(2), norm2, nn.ReLU()]
    classifier = [nn.Linear(second * 7 * 7, args.hidden), nn.ReLU()]
    classifier += [nn.Dropout(args.dropout), nn.Linear(args.hidden, 10)]
    return nn.Sequential(
        nn.Sequential(*blocks), nn.Flatten(), nn.Sequential(*classifier)
    )


def shifts_collate(args, mean, std):
    """The chapter's shifted_batch, or its random_shifts with other settings."""
    if (args.shift_probability, args.max_shift) == (0.5, 2):
        return shifting_collate(mean, std)
    namespace = chapter_definitions(
        CHAPTER, ("shift_images", "random_shifts"), {"torch": torch}
    )

    def collate(pairs):
        X, y = default_collate(pairs)
        shifted = namespace["random_shifts"](
            X, max_shift=args.max_shift, p=args.shift_probability
        )
        return (shifted - mean) / std, y

    return collate


def make_optimizer(args, model):
    if args.optimizer == "adamw":
        return torch.optim.AdamW(
            model.parameters(),
            lr=args.lr,
            weight_decay=args.weight_decay,
            betas=(0.9, args.beta2),
        )
    return torch.optim.SGD(
        model.parameters(),
        lr=args.lr,
        momentum=0.9,
        nesterov=True,
        weight_decay=args.weight_decay,
    )


def main() -> None:
    args = arguments()
    seed_everything(args.seed)
    X_train, y_train, mean, std, test_loader, shifted_loader = cnn_data()
    train_loader = DataLoader(
        TensorDataset(X_train, y_train),
        batch_size=args.batch_size,
        shuffle=True,
        collate_fn=shifts_collate(args, mean, std),
    )
    model = variant_cnn(args).to(memory_format=torch.channels_last)
    ema = None
    if args.ema is not None:
        ema = AveragedModel(
            model, multi_avg_fn=get_ema_multi_avg_fn(args.ema), use_buffers=True
        )
    optimizer = make_optimizer(args, model)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=args.lr,
        total_steps=args.epochs * len(train_loader),
        pct_start=args.warm_up,
    )

    def after_step():
        scheduler.step()
        if ema is not None:
            ema.update_parameters(model)

    wall, history = run(
        "variant",
        model,
        optimizer,
        train_loader,
        test_loader,
        args.epochs,
        after_step,
        shifted_loader=shifted_loader,
        amp_dtype=torch.bfloat16,
    )
    print(f"\n{vars(args)}")
    report("variant", wall, history, CNN_TARGETS)
    print(budget_line("variant", history))
    if ema is not None:
        print(
            f"EMA ({args.ema}): test accuracy {evaluate(ema, test_loader):.2%}, "
            f"shifted {evaluate(ema, shifted_loader):.2%}"
        )


if __name__ == "__main__":
    main()
