#!/usr/bin/env bash
# Runs `jvision bench` and its PyTorch twin (tools/pytorch/bench.py) side by side, alternating
# (jvision, torch, jvision, torch, ...) for R rounds per model, and prints one table of medians
# and ratios (jvision / torch: above 1 means jvision is faster, or for memory, uses more).
#
#   tools/bench-compare.sh                          # mlp, lenet5, vgg-small; batch 64; 2 threads; 3 rounds
#   tools/bench-compare.sh -r 5 -b 128 -t 1 -m vgg-small
#   tools/bench-compare.sh -r 3 -m mlp -b 64,256,1024      # also: inference at each side's best batch
#   tools/bench-compare.sh -a -m mlp                # both held to AVX2 on an AVX-512 machine (see -a)
#
# PyTorch runs at its best on this machine (issue 3): /usr/bin/python3 (Debian's python3-torch),
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, and the OpenMP build of OpenBLAS loaded
# (libopenblas0-openmp) so its threads do not fight PyTorch's OpenMP threads.
# Figures vary by 15-30% from run to run: compare medians over several rounds.
#
# The host sometimes puts this VM's two vCPUs on sibling threads of one physical core for tens
# of seconds (two-thread runs then lose a third of their speed, whichever system is running).
# Before and after every run a 1-second probe (org.jvision.bench.CoreSharingProbe) checks; the
# table takes the runs that began and ended on separate cores, and says how many there were. A
# model for which either system had none takes all runs of both, marked *; the medians over all
# runs follow the table. The probes cannot see a change in the middle of a run: read both.
#
# With several batch sizes, each round runs every batch size in turn (so a slow phase of the host
# falls on all of them alike), the table has a row per model and batch size, and a line per model
# compares inference at each system's best batch size (issue 3's inference target: PyTorch is
# fastest at different batch sizes on different models).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/pytorch/env.sh"
source "$root/bin/jdk.sh"
source "$root/tools/bench-jar.sh"

rounds=3
batch=64
threads=2
models="mlp,lenet5,vgg-small"
steps=40
warmup_seconds=8
avx2=false

usage() {
  cat <<EOF
usage: tools/bench-compare.sh [-r ROUNDS] [-b BATCHES] [-t THREADS] [-m MODELS] [-s STEPS] [-w WARMUP_SECONDS] [-a]
  -r  rounds per model, each running jvision then torch (default $rounds)
  -b  batch size, training and inference, or a comma-separated list of them (default $batch)
  -t  compute threads for both (default $threads)
  -m  comma-separated models from mlp, lenet5, vgg-small (default $models)
  -s  timed steps per phase and run (default $steps)
  -w  minimum warm-up seconds per phase and run (default $warmup_seconds)
  -a  hold both systems to AVX2, to study AVX2 machines on an AVX-512 one: jvision's JVM with
      -XX:UseAVX=2 (its vector-256 kernels), PyTorch with ATEN_CPU_CAPABILITY=avx2, oneDNN at
      AVX2 and OpenBLAS's Haswell kernels. Only an approximation of a real AVX2 machine (caches
      and clocks stay this machine's)
EOF
}

while getopts "r:b:t:m:s:w:ah" opt; do
  case "$opt" in
    r) rounds="$OPTARG" ;;
    b) batch="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    m) models="$OPTARG" ;;
    s) steps="$OPTARG" ;;
    w) warmup_seconds="$OPTARG" ;;
    a) avx2=true ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
  echo "bench-compare: unexpected argument '$1'" >&2
  usage >&2
  exit 2
fi
IFS=, read -r -a batch_list <<<"$batch"
for pair in "rounds:$rounds" "threads:$threads" "steps:$steps" "${batch_list[@]/#/batch size:}"; do
  if ! [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-compare: ${pair%%:*} must be a positive integer, received: '${pair#*:}'" >&2
    exit 2
  fi
done
if ! [[ "$warmup_seconds" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "bench-compare: warm-up seconds must be a non-negative number, received: '$warmup_seconds'" >&2
  exit 2
fi
IFS=, read -r -a model_list <<<"$models"
for m in "${model_list[@]}"; do
  case "$m" in
    mlp|lenet5|vgg-small) ;;
    *) echo "bench-compare: unknown model '$m', expected mlp, lenet5 or vgg-small" >&2; exit 2 ;;
  esac
done

# PyTorch at its best: see the header.
torch_at_its_best bench-compare
if [ "$avx2" = true ]; then
  export JVISION_JAVA_OPTS="${JVISION_JAVA_OPTS:+$JVISION_JAVA_OPTS }-XX:UseAVX=2"
  torch_env+=(OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2)
fi

# Build jvision now, so no run pays for it (bin/jvision rebuilds only when sources changed).
"$root/bin/jvision" --version >/dev/null

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
jvision_find_jdk
bench_jar_built bench-compare "$results"

common=(--threads "$threads" --steps "$steps" --warmup-seconds "$warmup_seconds")

# Runs one benchmark and appends its JSON line to $results/$system-$model.jsonl ($model here
# names the model and batch size, e.g. mlp@256).
run_one() {
  local system="$1" model="$2" out
  shift 2
  if ! out=$("$@" 2>"$results/stderr"); then
    echo "bench-compare: the $system run for $model failed:" >&2
    cat "$results/stderr" >&2
    exit 1
  fi
  local line
  line=$(printf '%s\n' "$out" | grep '^{' | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "bench-compare: the $system run for $model printed no JSON:" >&2
    printf '%s\n' "$out" >&2
    exit 1
  fi
  printf '%s\n' "$line" >>"$results/$system-$model.jsonl"
  # Where the run began and ended: separate cores only when the probes on both sides say so.
  local after
  after=$(probe_cores bench-compare)
  printf '%s %s\n' "$probe" "$after" >>"$results/$system-$model.cores"
  probe="$after"
  echo "    $(printf '%s\n' "$line" | sed -n 's/.*"train_images_per_s": *\([0-9.]*\).*/train \1 images\/s/p')," \
    "$(printf '%s\n' "$after" | sed -n 's/.*"pair_ratio":\([0-9.]*\).*/two threads at \1 of one/p')" >&2
}

echo "jvision vs PyTorch $torch_version: batch ${batch//,/, }, $threads threads, $rounds round(s), $steps timed steps per phase" \
  "after >= ${warmup_seconds}s warm-up; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" >&2
probe=$(probe_cores bench-compare)
keys=()
for m in "${model_list[@]}"; do
  for b in "${batch_list[@]}"; do
    keys+=("$m@$b")
  done
  for ((r = 1; r <= rounds; r++)); do
    for b in "${batch_list[@]}"; do
      label="$m"
      [ "${#batch_list[@]}" -gt 1 ] && label="$m batch $b"
      echo "  $label round $r/$rounds: jvision..." >&2
      run_one jvision "$m@$b" "$root/bin/jvision" bench --model "$m" --batch-size "$b" "${common[@]}" --json
      echo "  $label round $r/$rounds: torch..." >&2
      run_one torch "$m@$b" "${torch_env[@]}" "$python" "$root/tools/pytorch/bench.py" --model "$m" \
        --batch-size "$b" "${common[@]}"
    done
  done
done

"$python" - "$results" "${#batch_list[@]}" "${keys[@]}" <<'EOF'
import json
import statistics
import sys

folder, batch_count, models = sys.argv[1], int(sys.argv[2]), sys.argv[3:]


def row_name(key):
    """'mlp' for one batch size, 'mlp@256' for several."""
    return key if batch_count > 1 else key.split("@")[0]


def all_runs(system, model):
    with open(f"{folder}/{system}-{model}.jsonl") as f:
        return [json.loads(line) for line in f if line.strip()]


def on_separate_cores(system, model):
    """For each run, whether the probes before and after it found the two vCPUs on separate cores."""
    with open(f"{folder}/{system}-{model}.cores") as f:
        return [not any(json.loads(p)["shared_core"] for p in line.strip().replace("} {", "}\n{").split("\n"))
                for line in f if line.strip()]


def separate_runs(system, model):
    return [r for r, ok in zip(all_runs(system, model), on_separate_cores(system, model)) if ok]


def median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


header = ("model", "jvision train/s", "torch train/s", "ratio", "jvision infer/s", "torch infer/s", "ratio",
          "jvision RSS MB", "torch RSS MB", "ratio")
rows = []
notes = []
inference = {}
for m in models:
    j, t = separate_runs("jvision", m), separate_runs("torch", m)
    everything = [all_runs(s, m) for s in ("jvision", "torch")]
    # Both systems from the same kind of runs: all of them when either had none on separate cores.
    mark = "" if j and t else "*"
    if mark:
        j, t = everything
    row = [row_name(m)]
    for key in ("train_images_per_s", "inference_images_per_s", "peak_rss_mb"):
        a, b = median(j, key), median(t, key)
        row += [f"{a:,.0f}", f"{b:,.0f}", f"{a / b:.2f}x{mark}" if b else "n/a"]
    rows.append(row)
    inference.setdefault(m.split("@")[0], []).append(
        (m.split("@")[1], median(j, "inference_images_per_s"), median(t, "inference_images_per_s"), mark))
    ratios = ", ".join(f"{phase} {median(everything[0], key) / median(everything[1], key):.2f}x"
                       for phase, key in (("train", "train_images_per_s"), ("inference", "inference_images_per_s")))
    counts = [len(separate_runs(s, m)) for s in ("jvision", "torch")]
    notes.append(f"{row_name(m)}: {counts[0]} of {len(everything[0])} jvision runs and {counts[1]} of {len(everything[1])} "
                 f"torch runs on separate cores; over all runs: {ratios}")
kernels = sorted({r["kernels"] for m in models for r in all_runs("jvision", m)})
widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
print(" | ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
print("-|-".join("-" * w for w in widths))
for row in rows:
    print(" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
print(f"(medians over the runs on separate cores, * over all runs where a system had none there; "
      f"jvision kernels: {', '.join(kernels)}; ratio = jvision / torch)")
for note in notes:
    print(note)
if batch_count > 1:
    for model, per_batch in inference.items():
        bj = max(per_batch, key=lambda x: x[1])
        bt = max(per_batch, key=lambda x: x[2])
        print(f"{model} inference at each system's best batch size: jvision {bj[1]:,.0f} (batch {bj[0]}{bj[3]}) / "
              f"torch {bt[2]:,.0f} (batch {bt[0]}{bt[3]}) = {bj[1] / bt[2]:.2f}x")
EOF
