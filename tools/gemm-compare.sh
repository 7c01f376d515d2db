#!/usr/bin/env bash
# Sets jvision's GEMM (the JMH GemmBenchmark, bench/) beside OpenBLAS's (torch.mm through
# tools/pytorch/gemm.py) on the same shapes, and prints one markdown table of GFLOP/s and ratios
# (jvision / OpenBLAS: above 1 means jvision is faster). Shape by shape, jvision then OpenBLAS, so
# that drift in the machine's speed hits both alike.
#
#   tools/gemm-compare.sh                                   # every shape of GemmBenchmark; 1 and 2 threads
#   tools/gemm-compare.sh -t 2 -s 1024x1024x1024:NN,lenet5
#   tools/gemm-compare.sh -s vgg-small/conv2d_2.dX:50176x288x32:NT
#
# Shapes are org.jvision.bench.GemmShape's text, [name:]MxNxK:XY[:acc] (X, Y: N or T, whether A or B
# is stored transposed; acc: C is added to), or a group that LayerShapes records: squares, mlp,
# lenet5, vgg-small. The full list takes about 20 minutes; JMH runs 3 warm-up and 5 measured
# 1-second iterations per shape and thread count, PyTorch the median of 15 timed batches.
#
# OpenBLAS runs at its best on this machine, as in tools/bench-compare.sh: /usr/bin/python3
# (Debian's python3-torch), OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, and the OpenMP build of
# OpenBLAS loaded (libopenblas0-openmp) so its threads do not fight PyTorch's OpenMP threads.
# The bench jar (bench/target/jvision-bench.jar) is built when missing or older than the sources.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/pytorch/env.sh"

threads="1,2"
shapes=""

usage() {
  cat <<EOF
usage: tools/gemm-compare.sh [-t THREADS_LIST] [-s SHAPES]
  -t  comma-separated thread counts, for both (default $threads)
  -s  comma-separated shapes ([name:]MxNxK:XY[:acc]) and groups (squares, mlp, lenet5, vgg-small)
      (default: every shape of GemmBenchmark)
EOF
}

while getopts "t:s:h" opt; do
  case "$opt" in
    t) threads="$OPTARG" ;;
    s) shapes="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
  echo "gemm-compare: unexpected argument '$1'" >&2
  usage >&2
  exit 2
fi
if ! [[ "$threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
  echo "gemm-compare: threads must be positive integers separated by commas, received: '$threads'" >&2
  exit 2
fi
groups=()
explicit=()
if [ -n "$shapes" ]; then
  IFS=, read -r -a entries <<<"$shapes"
  for s in "${entries[@]}"; do
    case "$s" in
      squares|mlp|lenet5|vgg-small) groups+=("$s") ;;
      *)
        if ! [[ "$s" =~ ^([^:]+:)?[1-9][0-9]*x[1-9][0-9]*x[1-9][0-9]*:[NT][NT](:acc)?$ ]]; then
          echo "gemm-compare: unknown shape '$s', expected [name:]MxNxK:XY[:acc] (e.g. 1024x1024x1024:NN)" \
            "or one of squares, mlp, lenet5, vgg-small" >&2
          exit 2
        fi
        explicit+=("$s") ;;
    esac
  done
fi

# OpenBLAS at its best: see the header.
torch_at_its_best gemm-compare

source "$root/bin/jdk.sh"
jvision_find_jdk
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# Build the bench jar now, so no run pays for it.
source "$root/tools/bench-jar.sh"
bench_jar_built gemm-compare "$results"
java_flags=(--add-modules=jdk.incubator.vector -XX:+UseParallelGC -Xss4m)

# The shape list: groups (or, by default, everything) as LayerShapes records them, then the explicit ones.
shape_list=()
if [ -z "$shapes" ] || [ ${#groups[@]} -gt 0 ]; then
  if ! recorded=$("$JAVA_HOME/bin/java" "${java_flags[@]}" -cp "$jar" org.jvision.bench.LayerShapes "${groups[@]}" \
      2>"$results/stderr"); then
    cat "$results/stderr" >&2
    echo "gemm-compare: recording the layer shapes failed (above)." >&2
    exit 1
  fi
  mapfile -t shape_list <<<"$recorded"
fi
shape_list+=("${explicit[@]}")

# Anything else running spoils the figures, 2-thread ones most (a descheduled thread stalls the
# other at every barrier): the load averages before and after are printed to show it.
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
echo "jvision vs OpenBLAS (PyTorch $torch_version): ${#shape_list[@]} shape(s), threads $threads;" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $load_before" >&2
for i in "${!shape_list[@]}"; do
  s="${shape_list[$i]}"
  echo "  [$((i + 1))/${#shape_list[@]}] $s: jvision..." >&2
  if ! "$JAVA_HOME/bin/java" -jar "$jar" 'GemmBenchmark\.gemm$' -p "shape=$s" -p "threads=$threads" \
      -rf json -rff "$results/jvision-$i.json" >"$results/jmh.log" 2>&1 </dev/null; then
    cat "$results/jmh.log" >&2
    echo "gemm-compare: the JMH run for $s failed (log above)." >&2
    exit 1
  fi
  echo "  [$((i + 1))/${#shape_list[@]}] $s: OpenBLAS..." >&2
  if ! "${torch_env[@]}" "$python" "$root/tools/pytorch/gemm.py" --threads "$threads" "$s" \
      >"$results/openblas-$i.json" 2>"$results/stderr"; then
    cat "$results/stderr" >&2
    echo "gemm-compare: the PyTorch run for $s failed (above)." >&2
    exit 1
  fi
done

load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

"$python" - "$results" "${#shape_list[@]}" "$load_before" "$load_after" <<'EOF'
import json
import re
import sys

folder, count, load_before, load_after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
SIZES = re.compile(r"(\d+)x(\d+)x(\d+):")

rows = []
blas = set()
for i in range(count):
    with open(f"{folder}/jvision-{i}.json") as f:
        jmh = json.load(f)
    with open(f"{folder}/openblas-{i}.json") as f:
        torch_run = json.load(f)
    blas.update(torch_run["blas"])
    openblas = {(r["shape"], r["threads"]): r["gflops"] for r in torch_run["results"]}
    for run in jmh:
        shape, threads = run["params"]["shape"], int(run["params"]["threads"])
        m, n, k = (int(v) for v in SIZES.search(shape).groups())
        # JMH reports calls per second; each call is 2·m·n·k floating-point operations.
        jvision = run["primaryMetric"]["score"] * 2.0 * m * n * k / 1e9
        theirs = openblas[(shape, threads)]
        rows.append((shape, str(threads), f"{jvision:,.1f}", f"{theirs:,.1f}", f"{jvision / theirs:.2f}x"))

header = ("shape", "threads", "jvision GFLOP/s", "OpenBLAS GFLOP/s", "ratio")
widths = [max(len(x) for x in col) for col in zip(header, *rows)]


def line(cells):
    return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"


print(line(header))
print("|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|")
for row in rows:
    print(line(row))
print(f"(jvision: JMH mean of 5 one-second iterations; OpenBLAS: torch.mm, median of 15 batches, via "
      f"{', '.join(sorted(blas)) or 'an unknown BLAS'}; ratio = jvision / OpenBLAS;"
      f" 1-minute load average {load_before} before, {load_after} after)")
EOF
