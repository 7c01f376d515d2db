# Sourced by tools/bench-compare.sh and tools/gemm-compare.sh: sets up PyTorch at its best on
# this machine (issue 3) and checks that it loads.
#   torch_at_its_best NAME   sets python, torch_env (an env command line: OPENBLAS_CORETYPE and
#                            OPENBLAS_L2_SIZE unset, the OpenMP build of OpenBLAS loaded) and
#                            torch_version; NAME prefixes the messages. Exits 1 when torch is missing.
python=/usr/bin/python3
openblas_omp=/usr/lib/x86_64-linux-gnu/openblas-openmp

torch_at_its_best() {
  local name="$1"
  torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  if [ -d "$openblas_omp" ]; then
    torch_env+=("LD_LIBRARY_PATH=$openblas_omp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
  else
    echo "$name: warning: $openblas_omp is missing (apt-get install libopenblas0-openmp);" \
      "PyTorch will use the default OpenBLAS, which may halve its speed here" >&2
  fi
  if [ ! -x "$python" ]; then
    echo "$name: $python not found; the PyTorch side needs Debian's python3 with python3-torch" >&2
    exit 1
  fi
  if ! torch_version=$("${torch_env[@]}" "$python" -c 'import torch; print(torch.__version__)' 2>/dev/null); then
    echo "$name: $python cannot import torch (install python3-torch, or check that it loads with" \
      "LD_LIBRARY_PATH=$openblas_omp)" >&2
    exit 1
  fi
}
