#!/usr/bin/env bash
# jvision's GEMM and OpenBLAS's, called in alternating rounds of a few milliseconds inside one JVM
# (org.jvision.bench.GemmPairs: OpenBLAS through the foreign-function API on the same arrays), and
# the median of the per-round ratios (above 1: jvision is faster). Finer than tools/gemm-compare.sh
# when the machine's speed drifts from one millisecond to the next, as these shared VMs' does. The
# last column splits the rounds into those where OpenBLAS ran at 90% of its best or more (a quiet
# core) and the rest; the one before it is the cross-core round trip just before the shape (about
# 66 ns or about 330 on these VMs, which decides whether the heads' microsecond products gain from
# a second thread).
#
#   tools/gemm-pairs.sh 1024x1024x1024:NN                       # 1 thread, 3 s per shape
#   tools/gemm-pairs.sh -t 2 -d 5 vgg-small/conv2d_3.dW:288x64x392:TN 64x784x256:NT
#
# Needs Debian's libopenblas0-openmp (the OpenMP build, as gemm-compare uses through PyTorch), or
# -l PATH to another libopenblas. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset so that OpenBLAS
# picks its own kernels, as in tools/bench-compare.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=1
seconds=3
library=/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0

usage() {
  cat <<USAGE
usage: tools/gemm-pairs.sh [-t THREADS] [-d SECONDS] [-l LIBOPENBLAS] SHAPE...
  -t  threads, for both (default $threads)
  -d  measured seconds per shape, after a third as much warm-up (default $seconds)
  -l  the OpenBLAS library (default $library)
  SHAPE  [name:]MxNxK:XY[:acc], as in tools/gemm-compare.sh
USAGE
}

while getopts "t:d:l:h" opt; do
  case "$opt" in
    t) threads="$OPTARG" ;;
    d) seconds="$OPTARG" ;;
    l) library="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
  echo "gemm-pairs: no shape given" >&2
  usage >&2
  exit 2
fi
if ! [[ "$threads" =~ ^[1-9][0-9]*$ ]]; then
  echo "gemm-pairs: threads must be a positive integer, received: '$threads'" >&2
  exit 2
fi
if ! [[ "$seconds" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "gemm-pairs: seconds must be a positive number, received: '$seconds'" >&2
  exit 2
fi
for s in "$@"; do
  if ! [[ "$s" =~ ^([^:]+:)?[1-9][0-9]*x[1-9][0-9]*x[1-9][0-9]*:[NT][NT](:acc)?$ ]]; then
    echo "gemm-pairs: unknown shape '$s', expected [name:]MxNxK:XY[:acc] (e.g. 1024x1024x1024:NN)" >&2
    exit 2
  fi
done
if [ ! -r "$library" ]; then
  echo "gemm-pairs: OpenBLAS not found at $library: install libopenblas0-openmp (apt-get install" \
    "libopenblas0-openmp) or pass -l PATH" >&2
  exit 1
fi

source "$root/bin/jdk.sh"
jvision_find_jdk
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
source "$root/tools/bench-jar.sh"
bench_jar_built gemm-pairs "$logs"

echo "jvision vs OpenBLAS ($library), alternating in one JVM: threads $threads, $seconds s per shape;" \
  "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" >&2
# OMP_WAIT_POLICY=passive: OpenBLAS's idle OpenMP threads sleep between its rounds instead of
# spinning through jvision's. With two threads, 1024³: jvision 61 → 77 GFLOP/s median, OpenBLAS
# 133 → 136 (ninth session).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=passive "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xss4m -Dopenblas="$library" \
  -cp "$jar" org.jvision.bench.GemmPairs "$threads" "$seconds" "$@" 2> >(grep -v 'incubator modules' >&2)
