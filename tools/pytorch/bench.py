#!/usr/bin/python3
"""The PyTorch side of `jvision bench`: the same three models, the same step, the same figures.

    /usr/bin/python3 tools/pytorch/bench.py --model vgg-small --batch-size 64 --threads 2

prints one JSON object with the fields `jvision bench --json` prints (model, batch_size, threads,
kernels, train_images_per_s, inference_images_per_s, seconds_per_epoch, peak_rss_mb, ...).
tools/bench-compare.sh runs both and prints the ratios; run it through that script, which also
sets up PyTorch at its best on this machine (issue 3): OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
unset, and the OpenMP build of OpenBLAS loaded with
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp, so its threads do not fight PyTorch's.

What is measured, exactly as org.jvision.training.Benchmark does:
- data: one seeded batch of standard-normal images [batch, 1, 28, 28] (NCHW here, NHWC in
  jvision: the same numbers of values and operations) and uniformly random labels, reused;
- a training step: zero the gradients, forward in training mode, cross-entropy on the logits
  (jvision fuses its final softmax into the loss the same way), backward, Adam (lr 1e-3, betas
  0.9/0.999, eps 1e-8);
- an inference step: eval mode, no autograd, forward and softmax (jvision's predict gives
  probabilities);
- each phase warms up for at least --warmup steps and --warmup-seconds, then times --steps steps
  one by one; throughput is batch / median step time;
- seconds_per_epoch = 60,000 / training images per second;
- peak_rss_mb: the process's peak resident set (getrusage ru_maxrss), like jvision's VmHWM.

The layer shapes follow org.jvision.zoo.Zoo:
- mlp: flatten, dense 256 - ReLU, dense 128 - ReLU, dense 10;
- lenet5: conv 5x5 (6, padding 2) - ReLU - maxpool 2, conv 5x5 (16) - ReLU - maxpool 2, flatten,
  dense 120 - ReLU, dense 84 - ReLU, dense 10;
- vgg-small: [conv 3x3 (same, no bias) - BN - ReLU] x2 with 32 filters, maxpool 2, the same with 64
  filters, maxpool 2, flatten, dense 256 (no bias) - BN - ReLU, dropout 0.5, dense 10; batch
  norm with eps 1e-5 and PyTorch momentum 0.1 (jvision's 0.9).
"""

import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCH_IMAGES = 60_000
MODELS = ("mlp", "lenet5", "vgg-small")


def mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256), nn.ReLU(),
        nn.Linear(256, 128), nn.ReLU(),
        nn.Linear(128, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1), nn.ReLU()]


def vgg_small():
    return nn.Sequential(
        *conv_bn_relu(1, 32), *conv_bn_relu(32, 32), nn.MaxPool2d(2),
        *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 256, bias=False), nn.BatchNorm1d(256, eps=1e-5, momentum=0.1), nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(256, 10))


def create(name):
    return {"mlp": mlp, "lenet5": lenet5, "vgg-small": vgg_small}[name]()


def warm_up(step, min_steps, min_seconds):
    """Runs step() until both minimums are met; returns how many times it ran."""
    count = 0
    end = time.perf_counter() + min_seconds
    while count < min_steps or time.perf_counter() < end:
        step()
        count += 1
    return count


def timed(step, steps):
    durations = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        durations.append(time.perf_counter() - start)
    return durations


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, received: {text}")
        return value
    return parse


def non_negative(kind):
    def parse(text):
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, received: {text}")
        return value
    return parse


def main():
    parser = argparse.ArgumentParser(description="PyTorch twin of `jvision bench` (prints one JSON object).")
    parser.add_argument("--model", choices=MODELS, default="lenet5")
    parser.add_argument("--batch-size", type=positive(int), default=64)
    parser.add_argument("--threads", type=positive(int), default=torch.get_num_threads())
    parser.add_argument("--steps", type=positive(int), default=40, help="timed steps per phase")
    parser.add_argument("--warmup", type=non_negative(int), default=10, help="at least this many warm-up steps per phase")
    parser.add_argument("--warmup-seconds", type=non_negative(float), default=8.0, help="and at least this long")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = create(args.model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    images = torch.randn(args.batch_size, 1, 28, 28)
    labels = torch.randint(0, 10, (args.batch_size,))

    def train_step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        if not torch.isfinite(loss):
            sys.exit(f"bench.py: training diverged: the loss became {loss.item()}")

    def inference_step():
        with torch.no_grad():
            F.softmax(model(images), dim=1)

    model.train()
    train_warmup = warm_up(train_step, args.warmup, args.warmup_seconds)
    train = timed(train_step, args.steps)
    model.eval()
    inference_warmup = warm_up(inference_step, args.warmup, args.warmup_seconds)
    inference = timed(inference_step, args.steps)

    train_per_s = args.batch_size / statistics.median(train)
    inference_per_s = args.batch_size / statistics.median(inference)
    print(json.dumps({
        "model": args.model,
        "batch_size": args.batch_size,
        "threads": torch.get_num_threads(),
        "kernels": f"torch-{torch.__version__}",
        "train_images_per_s": round(train_per_s, 1),
        "inference_images_per_s": round(inference_per_s, 1),
        "seconds_per_epoch": round(EPOCH_IMAGES / train_per_s, 3),
        # ru_maxrss is in kilobytes on Linux
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps": args.steps,
        "train_warmup_steps": train_warmup,
        "inference_warmup_steps": inference_warmup,
    }))


if __name__ == "__main__":
    main()
