#!/usr/bin/env bash
# Issue 3's time-to-accuracy target: trains vgg-small (or -m MODEL) on the real Fashion-MNIST with
# `jvision train` and with its PyTorch twin (tools/pytorch/train.py), the same recipe (Adam 1e-3,
# batch 64, standardized pixels, no validation split, 2 threads), and prints per epoch the training
# seconds so far and the test accuracy of each.
#
#   tools/time-to-accuracy.sh                 # vgg-small, 3 epochs, 2 threads (about 6 minutes)
#   tools/time-to-accuracy.sh -e 2 -t 1
#
# Both evaluate the test set after each epoch for the report only, outside the timed training
# seconds: jvision through org.jvision.bench.TimeToAccuracy (the library's Trainer.fit, as `jvision
# train --val-split 0` runs it, with a callback), PyTorch through tools/pytorch/train.py. Needs
# /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) or -d DIR.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/pytorch/env.sh"
source "$root/bin/jdk.sh"
jvision_find_jdk

model=vgg-small
epochs=3
threads=2
data=/usr/share/datasets/fashion-mnist

usage() {
  echo "usage: tools/time-to-accuracy.sh [-m MODEL] [-e EPOCHS] [-t THREADS] [-d DATA_DIR]"
}

while getopts "m:e:t:d:h" opt; do
  case "$opt" in
    m) model="$OPTARG" ;;
    e) epochs="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    d) data="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for pair in "epochs:$epochs" "threads:$threads"; do
  if ! [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]]; then
    echo "time-to-accuracy: ${pair%%:*} must be a positive integer, received: '${pair#*:}'" >&2
    exit 2
  fi
done
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "time-to-accuracy: no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist, or -d DIR)" >&2
  exit 1
fi
torch_at_its_best time-to-accuracy

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "$model on Fashion-MNIST ($data), batch 64, Adam 1e-3, $threads threads; $(nproc) cores"

echo "PyTorch $torch_version:"
(cd "$root/tools/pytorch" && "${torch_env[@]}" "$python" train.py --model "$model" --epochs "$epochs" \
  --threads "$threads" --data "$data") | tee "$work/torch.jsonl" | sed 's/^/  /'

source "$root/tools/bench-jar.sh"
bench_jar_built time-to-accuracy "$work"
echo "jvision (kernels as jvision bench picks them):"
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:+UseParallelGC -Xmn32m -cp "$jar" \
  org.jvision.bench.TimeToAccuracy "$model" "$epochs" "$threads" "$data" 2> >(grep -v "incubator" >&2) \
  | sed 's/^/  /'
