#!/usr/bin/python3
"""The PyTorch side of tools/gemm-compare.sh: times torch.mm (OpenBLAS's sgemm on this machine) on
GemmBenchmark's shapes and prints GFLOP/s as JSON.

    /usr/bin/python3 tools/pytorch/gemm.py --threads 1,2 1024x1024x1024:NN lenet5/conv2d_2.dW:150x16x6400:TN:acc
    java -cp bench/target/jvision-bench.jar org.jvision.bench.LayerShapes | /usr/bin/python3 tools/pytorch/gemm.py

Shapes are org.jvision.bench.GemmShape's text, `[name:]MxNxK:XY[:acc]`, from the arguments or, when
there are none, one per line on standard input. The matrices are laid out as jvision's are, so the
same BLAS call is made: A is m×k row-major, or for X = T a k×m matrix seen through .t() (likewise
B, n×k for Y = T); C is m×n row-major. `acc` adds into C (torch.addmm with out=C: beta = 1), as
jvision's `accumulate` does; otherwise torch.mm(out=C) overwrites it (beta = 0).

For each shape and thread count (torch.set_num_threads): warm up for at least --warmup-seconds,
then time --repeats batches of calls, each batch long enough (>= 20 ms) for the clock, and report
the median: GFLOP/s = 2·m·n·k / seconds per call / 1e9.

Run it through tools/gemm-compare.sh, which sets OpenBLAS up at its best here (see
tools/bench-compare.sh): OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, and
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp.
"""

import argparse
import json
import re
import statistics
import sys
import time

import torch

SHAPE = re.compile(r"(?:([^:]+):)?(\d+)x(\d+)x(\d+):([NT])([NT])(:acc)?")
MIN_BATCH_SECONDS = 0.02


def parse_shape(text):
    match = SHAPE.fullmatch(text)
    if not match:
        raise SystemExit(f"gemm.py: expected a shape like '[name:]1024x1024x1024:NN[:acc]', received: '{text}'")
    name, m, n, k, ta, tb, acc = match.groups()
    return {"shape": text, "m": int(m), "n": int(n), "k": int(k), "trans_a": ta == "T", "trans_b": tb == "T",
            "accumulate": acc is not None}


def positive_ints(text):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers separated by commas, received: '{text}'")
    return values


def operands(s):
    """A, B and C stored as jvision stores them (see the module comment)."""
    generator = torch.Generator().manual_seed(7)
    m, n, k = s["m"], s["n"], s["k"]
    a = (torch.rand(k, m, generator=generator) * 2 - 1).t() if s["trans_a"] else torch.rand(m, k, generator=generator) * 2 - 1
    b = (torch.rand(n, k, generator=generator) * 2 - 1).t() if s["trans_b"] else torch.rand(k, n, generator=generator) * 2 - 1
    return a, b, torch.zeros(m, n)


def seconds_per_call(s, repeats, warmup_seconds):
    a, b, c = operands(s)
    if s["accumulate"]:
        def call():
            torch.addmm(c, a, b, out=c)
    else:
        def call():
            torch.mm(a, b, out=c)

    calls = 0
    start = time.perf_counter()
    while calls < 3 or time.perf_counter() - start < warmup_seconds:
        call()
        calls += 1
    # Enough calls per timed batch that one batch lasts MIN_BATCH_SECONDS.
    per_call = (time.perf_counter() - start) / calls
    batch = max(1, int(MIN_BATCH_SECONDS / max(per_call, 1e-9)))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(batch):
            call()
        times.append((time.perf_counter() - start) / batch)
    return statistics.median(times)


def loaded_blas():
    """The BLAS libraries this process mapped (Debian's torch links whichever libblas.so.3 is found)."""
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]})
    except OSError:
        return []


def main():
    parser = argparse.ArgumentParser(description="Times torch.mm on jvision's GEMM shapes; prints JSON.")
    parser.add_argument("shapes", nargs="*", help="shapes '[name:]MxNxK:XY[:acc]'; read from stdin when none")
    parser.add_argument("--threads", type=positive_ints, default=[1, 2], help="comma-separated thread counts (default 1,2)")
    parser.add_argument("--repeats", type=int, default=15, help="timed batches per shape and thread count (default 15)")
    parser.add_argument("--warmup-seconds", type=float, default=0.5, help="warm-up per shape and thread count (default 0.5)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, received: {args.repeats}")
    if not args.warmup_seconds >= 0:
        parser.error(f"--warmup-seconds must be >= 0, received: {args.warmup_seconds}")
    texts = args.shapes or [line.strip() for line in sys.stdin if line.strip()]
    if not texts:
        parser.error("no shapes given, neither as arguments nor on standard input")
    shapes = [parse_shape(t) for t in texts]

    results = []
    for s in shapes:
        for threads in args.threads:
            torch.set_num_threads(threads)
            seconds = seconds_per_call(s, args.repeats, args.warmup_seconds)
            flops = 2.0 * s["m"] * s["n"] * s["k"]
            results.append({"shape": s["shape"], "threads": threads, "seconds_per_call": seconds,
                            "gflops": flops / seconds / 1e9})
    json.dump({"torch": torch.__version__, "blas": loaded_blas(), "results": results}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
