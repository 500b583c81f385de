#!/usr/bin/env bash
# `weir compare` from the command line: exactly two --scenario and a good
# --seeds or exit 64 with one line; a bad --set-a / --set-b or spec file
# fails like `weir run`; --json prints one object with both sides, ratios
# and differing seeds; the exit code is the worse of the two sides'.
# Usage: compare_test.sh path/to/weir
set -u
weir="$1"
name=compare
source "$(dirname "$0")/lib.sh"

# Bad usage: 64, one line, nothing run.
expect 64 "one --scenario" -- compare --scenario rpc-chaos --seeds 0:2
one_line_error "one --scenario"
grep -q "exactly two --scenario" "$err" || fail "one --scenario: the error does not say two are needed"
expect 64 "three --scenario" -- compare --scenario rpc-chaos --scenario rpc-chaos --scenario rpc-chaos --seeds 0:2
one_line_error "three --scenario"
expect 64 "no --scenario" -- compare --seeds 0:2
one_line_error "no --scenario"
expect 64 "bad --seeds" -- compare --scenario rpc-chaos --scenario rpc-chaos --seeds 9:2
one_line_error "bad --seeds"
grep -q -- "--seeds '9:2'" "$err" || fail "bad --seeds: the error does not name the range"
expect 64 "missing --seeds" -- compare --scenario rpc-chaos --scenario rpc-chaos
one_line_error "missing --seeds"
expect 64 "unknown scenario B" -- compare --scenario rpc-chaos --scenario no-such --seeds 0:2
one_line_error "unknown scenario B"
expect 64 "bad --set-b" -- compare --scenario baseline-classic --scenario baseline-classic --seeds 0:1 \
  --set-b knobs.ingester.no_such_knob=true
one_line_error "bad --set-b"
grep -q "no_such_knob" "$err" || fail "bad --set-b: the error does not name the field"
expect 65 "missing spec file" -- compare --scenario /nonexistent/weir.textproto --scenario rpc-chaos --seeds 0:1
one_line_error "missing spec file"
expect 0 "--help documents the exit code" -- compare --help
grep -q "Exit code: the worse of A's and B's" "$out" || fail "compare --help does not document the exit code"

# A passing comparison, as one JSON object with every field.
expect 0 "compare --json" -- compare --scenario rpc-chaos --scenario rpc-chaos --seeds 0:3 -j 2 --json
[ "$(wc -l < "$out")" -eq 1 ] || fail "compare --json printed more than one line"
for field in '"compare":true' '"seeds":"0:3"' '"a":{' '"b":{' '"ratios":' '"differences":\[\]' '"exit_code":0' \
             '"seeds_run":3' '"failures_by_property":' '"measures":'; do
  grep -q "$field" "$out" || fail "compare --json lacks $field"
done

# The common what-if: one scenario, B with a change (here a diskless log),
# small and short. Both pass; the measures are there with their ratio.
small=(--set-a log.partitions=2 --set-a phases.safety_ms=20000 --set-a phases.drain_ms=15000
       --set-b log.partitions=2 --set-b phases.safety_ms=20000 --set-b phases.drain_ms=15000)
expect 0 "classic vs diskless" -- compare --scenario baseline-classic --scenario baseline-classic --seeds 1:2 \
  "${small[@]}" --set-b log.flavour=DISKLESS --json
for field in '"write_ack_latency_p99_ms":{' '"cross_zone_bytes.produce":{' '"objstore_put_requests":{' \
             '"total_cost_usd":{' '"overrides":\["log.partitions=2"'; do
  grep -q "$field" "$out" || fail "classic vs diskless --json lacks $field"
done

# A planted bug on side B: exit 1 (safety), the seed listed as differing,
# with B's reproduction line in the text.
expect 1 "B with a planted bug" -- compare --scenario baseline-diskless --scenario baseline-diskless --seeds 0:1 \
  "${small[@]}" --set-b log.diskless.ack_before_commit=true
grep -q "^  seed 0: A PASS, B FAIL (safety" "$out" || { fail "the differing seed is not listed"; cat "$out"; }
grep -q "reproduce B: weir run --scenario baseline-diskless --seed 0 .*--set log.diskless.ack_before_commit=true" "$out" ||
  fail "B's reproduction line is missing"
grep -q "^exit code 1" "$out" || fail "the text does not end with the exit code"

finish
