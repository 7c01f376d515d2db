#!/usr/bin/env bash
# Issue 4's training acceptance runs on the real Fashion-MNIST (10% validation split, test set once
# at the end, 2 threads, seed 42):
#   1. vgg-small with Adam for 10 epochs: test accuracy must reach at least 92%;
#   2. lenet5 for 15 epochs, plain against dropout 0.3 + L2 5e-4 + cosine decay: the regularized
#      one must have the better test accuracy.
# Prints one table; the runs' folders (history.json, history.csv, model) stay under runs/acceptance/.
#
#   tools/toolkit-acceptance.sh            # about 10 minutes on 2 cores
#   tools/toolkit-acceptance.sh -s lenet5  # only the lenet5 comparison
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/runs/acceptance"
skip=""
threads=2
while getopts "s:t:h" opt; do
  case "$opt" in
    s) skip="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    h) sed -n '2,11p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
if [ ! -d /usr/share/datasets/fashion-mnist ] && [ -z "${JVISION_DATA:-}" ]; then
  echo "toolkit-acceptance: needs the full Fashion-MNIST (apt install dataset-fashion-mnist, or JVISION_DATA=DIR)" >&2
  exit 1
fi
"$root/bin/jvision" --version >/dev/null # build once; the runs below use that build even if sources change meanwhile
export JVISION_NO_REBUILD=1

# Runs `jvision train` with the given name and options; prints "name<TAB>test accuracy<TAB>seconds".
train() {
  local name="$1"; shift
  local dir="$out/$name"
  local started=$SECONDS
  "$root/bin/jvision" train --no-progress --threads "$threads" --out "$dir" "$@" >"$dir.log" 2>&1 \
    || { echo "toolkit-acceptance: $name failed, see $dir.log" >&2; tail -5 "$dir.log" >&2; exit 1; }
  local accuracy
  accuracy=$(sed -n 's/^Test: loss [0-9.]* - accuracy \([0-9.]*\).*/\1/p' "$dir.log")
  printf '%s\t%s\t%s\n' "$name" "$accuracy" "$((SECONDS - started))"
}

mkdir -p "$out"
results=()
if [ "$skip" != vgg-small ]; then
  results+=("$(train vgg-small-adam-10 --model vgg-small --epochs 10 --optimizer adam)")
fi
if [ "$skip" != lenet5 ]; then
  results+=("$(train lenet5-plain-15 --model lenet5 --epochs 15)")
  results+=("$(train lenet5-regularized-15 --model lenet5 --epochs 15 --dropout 0.3 --l2 5e-4 --lr-schedule cosine)")
fi

echo
printf '| run | test accuracy | wall seconds |\n|---|---|---|\n'
for r in "${results[@]}"; do
  IFS=$'\t' read -r name accuracy seconds <<<"$r"
  printf '| %s | %s | %s |\n' "$name" "$accuracy" "$seconds"
done
for r in "${results[@]}"; do
  IFS=$'\t' read -r name accuracy _ <<<"$r"
  case "$name" in
    vgg-small-adam-10) awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.92) }' && echo "vgg-small: ${accuracy} >= 0.92: met" \
      || echo "vgg-small: ${accuracy} < 0.92: NOT met" ;;
    lenet5-plain-15) plain="$accuracy" ;;
    lenet5-regularized-15) regularized="$accuracy" ;;
  esac
done
if [ -n "${plain:-}" ] && [ -n "${regularized:-}" ]; then
  awk -v p="$plain" -v r="$regularized" 'BEGIN { exit !(r > p) }' && echo "lenet5: regularized ${regularized} > plain ${plain}: met" \
    || echo "lenet5: regularized ${regularized} <= plain ${plain}: NOT met"
fi
