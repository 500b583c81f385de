#!/usr/bin/env bash
# The whole test suite: install dependencies, build (Release) and run every
# test with CTest; then build with AddressSanitizer + UndefinedBehaviorSanitizer
# and run every test again.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
bash scripts/install-deps.sh

# Tests on explicitly: the main job may have configured build/ with them off,
# and a cached WEIR_BUILD_TESTS=OFF would leave CTest with nothing to run.
# --no-tests=error makes a pass that ran no test a failure.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEIR_BUILD_TESTS=ON
cmake --build build -j "$jobs"
ctest --test-dir build -j "$jobs" --output-on-failure --no-tests=error

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWEIR_SANITIZE=ON -DWEIR_BUILD_TESTS=ON
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" --output-on-failure --no-tests=error
