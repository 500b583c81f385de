#!/usr/bin/env bash
# The main job: install dependencies, build weir (Release) and sweep the
# default scenario over a range of seeds, then print the core benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEIR_BUILD_TESTS=OFF
cmake --build build --target weir
./build/weir sweep --scenario "${WEIR_SCENARIO:-baseline-classic}" --seeds "${WEIR_SEEDS:-0:200}" -j "$(nproc)"
./build/weir bench core
