#!/usr/bin/env bash
# Runs the example property test, takes the `reproduce: weir run ...` line it
# prints for its shrunk failure, runs that line with the weir binary, and
# checks it fails the same way (exit 1) with the same trace hash.
# Usage: reproduce_example.sh path/to/weir_gen_tests path/to/weir
set -u
tests="$1"
weir="$2"
out=$(mktemp)
trap 'rm -f "$out" "$out.run"' EXIT

"$tests" "[example]" > "$out" 2>&1 || { echo "FAIL: the example test failed"; cat "$out"; exit 1; }
line=$(grep -m1 '^reproduce: weir run ' "$out" | sed 's/^reproduce: weir //')
want=$(grep -m1 -o 'trace_hash=[0-9a-f]*' "$out")
[ -n "$line" ] || { echo "FAIL: the example printed no reproduction line"; cat "$out"; exit 1; }
[ -n "$want" ] || { echo "FAIL: the example printed no trace hash"; cat "$out"; exit 1; }

eval "\"\$weir\" $line" > "$out.run" 2>&1
code=$?
[ "$code" -eq 1 ] || { echo "FAIL: 'weir $line' exited $code, want 1 (safety)"; cat "$out.run"; exit 1; }
grep -q "$want" "$out.run" || { echo "FAIL: the reproduction's hash differs from the example's ($want)"; cat "$out.run"; exit 1; }
grep -q '^  violation no_lost_acked_samples' "$out.run" || { echo "FAIL: the reproduction lost no acked samples"; cat "$out.run"; exit 1; }
echo "reproduced: weir $line"
