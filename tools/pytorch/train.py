#!/usr/bin/python3
"""The PyTorch side of the time-to-accuracy comparison (tools/time-to-accuracy.sh): trains one of
bench.py's models on the real Fashion-MNIST with `jvision train`'s recipe and prints, per epoch,
the training seconds so far and the test accuracy.

    /usr/bin/python3 tools/pytorch/train.py --model vgg-small --epochs 3 --threads 2

The recipe, as `jvision train --val-split 0` runs it:
- data: the IDX files of /usr/share/datasets/fashion-mnist (or --data), pixels / 255 standardized
  with the training set's mean and population standard deviation;
- Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 64 (the last batch of an epoch smaller),
  cross-entropy, a seeded shuffle every epoch, no validation split (--val-split F holds out a
  seeded share of each class, as `jvision train` does by default);
- the models of bench.py (vgg-small: batch norm momentum 0.1, PyTorch's name for jvision's 0.9),
  with He-normal weights as jvision's zoo draws them (PyTorch's default initialization differs).
Training seconds count only the training steps; the test evaluation after each epoch is not
timed. Prints one JSON object per epoch: {"epoch", "train_seconds", "test_accuracy", "loss"}.
"""

import argparse
import gzip
import json
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import bench


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder, name):
    images = read_idx(f"{folder}/{name}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    labels = read_idx(f"{folder}/{name}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)


def he_normal(model):
    """He normal, truncated at two standard deviations, for conv and dense weights (jvision's zoo)."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            std = (2.0 / module.weight[0].numel()) ** 0.5
            with torch.no_grad():
                nn.init.trunc_normal_(module.weight, 0.0, std, -2 * std, 2 * std)
                if module.bias is not None:
                    module.bias.zero_()


def hold_out(images, labels, share, seed):
    """Drops a seeded `share` of each class (the validation set, unused here) and keeps the rest."""
    generator = torch.Generator().manual_seed(seed + 1)
    kept = []
    for label in labels.unique():
        members = (labels == label).nonzero().flatten()
        members = members[torch.randperm(len(members), generator=generator)]
        kept.append(members[round(len(members) * share):])
    kept = torch.cat(kept).sort().values
    return images[kept], labels[kept]


def accuracy(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), 256):
            logits = model(images[start:start + 256])
            correct += (logits.argmax(1) == labels[start:start + 256]).sum().item()
    return correct / len(images)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="vgg-small", choices=bench.MODELS)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--val-split", type=float, default=0.0,
                        help="share of each class held out of training, as `jvision train --val-split` does")
    parser.add_argument("--init", choices=("he", "torch"), default="he",
                        help="he: jvision's He normal; torch: PyTorch's default initialization")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")
    if args.val_split > 0:
        train_x, train_y = hold_out(train_x, train_y, args.val_split, args.seed)
    mean, std = train_x.mean().item(), train_x.std(unbiased=False).item()
    train_x = (train_x - mean) / std
    test_x = (test_x - mean) / std

    model = bench.create(args.model)
    if args.init == "he":
        he_normal(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(args.seed)
    seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(train_x), generator=shuffle)
        start = time.perf_counter()
        total = 0.0
        for first in range(0, len(order), args.batch_size):
            batch = order[first:first + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        seconds += time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "train_seconds": round(seconds, 2),
                          "test_accuracy": accuracy(model, test_x, test_y),
                          "loss": round(total / len(order), 4)}), flush=True)


if __name__ == "__main__":
    main()
