#!/usr/bin/env bash
# Issue 3's scaling target: how much faster jvision trains on two threads than on one. Runs
# `jvision bench` on one thread and on two, alternating (1, 2, 1, 2, ...) for R pairs, and prints
# each pair's ratio of training images/s and the median ratio.
#
#   tools/bench-scaling.sh                    # vgg-small, batch 64, 5 pairs
#   tools/bench-scaling.sh -m lenet5 -r 3 -b 128
#
# The host sometimes puts this VM's two vCPUs on one physical core for tens of seconds, which
# slows the two-thread run by a third and leaves the one-thread run alone (see bench-compare.sh).
# The core-sharing probe runs before and after every run; the last line gives the median over the
# pairs whose two runs all began and ended on separate cores, as well as over all pairs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/jdk.sh"
source "$root/tools/bench-jar.sh"

pairs=5
batch=64
model=vgg-small

usage() {
  cat <<EOF
usage: tools/bench-scaling.sh [-r PAIRS] [-b BATCH] [-m MODEL]
  -r  pairs of runs, one thread then two (default $pairs)
  -b  batch size (default $batch)
  -m  mlp, lenet5 or vgg-small (default $model)
EOF
}

while getopts "r:b:m:h" opt; do
  case "$opt" in
    r) pairs="$OPTARG" ;;
    b) batch="$OPTARG" ;;
    m) model="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
  echo "bench-scaling: unexpected argument '$1'" >&2
  usage >&2
  exit 2
fi
for pair in "pairs:$pairs" "batch:$batch"; do
  if ! [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-scaling: ${pair%%:*} must be a positive integer, received: '${pair#*:}'" >&2
    exit 2
  fi
done
case "$model" in
  mlp|lenet5|vgg-small) ;;
  *) echo "bench-scaling: unknown model '$model', expected mlp, lenet5 or vgg-small" >&2; exit 2 ;;
esac

# Build jvision now, so no run pays for it.
"$root/bin/jvision" --version >/dev/null
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
jvision_find_jdk
bench_jar_built bench-scaling "$logs"

shared() { # "true" when a probe line says the vCPUs share a core
  sed -n 's/.*"shared_core": *\(true\|false\).*/\1/p' <<<"$1"
}

# One run on $1 threads: sets rate to its training images/s, and clean=false when a probe around it
# saw a shared core. (Not in a subshell: it sets the caller's variables.)
train_rate() {
  local out line after
  if ! out=$("$root/bin/jvision" bench --model "$model" --batch-size "$batch" --threads "$1" --json 2>"$logs/stderr"); then
    echo "bench-scaling: the $1-thread run failed:" >&2
    cat "$logs/stderr" >&2
    exit 1
  fi
  line=$(grep '^{' <<<"$out" | tail -n 1 || true)
  rate=$(sed -n 's/.*"train_images_per_s": *\([0-9.]*\).*/\1/p' <<<"$line")
  if [ -z "$rate" ]; then
    echo "bench-scaling: the $1-thread run printed no training rate:" >&2
    printf '%s\n' "$out" >&2
    exit 1
  fi
  after=$(probe_cores bench-scaling)
  if [ "$(shared "$probe")" = true ] || [ "$(shared "$after")" = true ]; then
    clean=false
  fi
  probe="$after"
}

echo "jvision $model, batch $batch: one thread against two, $pairs pair(s); $(nproc) cores," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" >&2
probe=$(probe_cores bench-scaling)
ratios=()
clean_ratios=()
for ((p = 1; p <= pairs; p++)); do
  clean=true
  train_rate 1
  one="$rate"
  train_rate 2
  two="$rate"
  ratio=$(awk -v a="$two" -v b="$one" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  note="separate cores"
  if [ "$clean" = true ]; then
    clean_ratios+=("$ratio")
  else
    note="a shared core seen"
  fi
  echo "  pair $p: 1 thread $one, 2 threads $two images/s: ${ratio}x ($note)"
done

median() {
  if [ $# -eq 0 ]; then
    echo "none"
    return
  fi
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2fx", m }'
}
echo "median ratio: $(median "${ratios[@]}") over all $pairs pairs;" \
  "$(median "${clean_ratios[@]+"${clean_ratios[@]}"}") over the ${#clean_ratios[@]} on separate cores"
