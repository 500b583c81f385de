#!/usr/bin/env bash
# Trace replay from the command line: a trace replays with the same hash; a
# what-if replay (--set on the recorded spec) names the first event the
# changed run does differently, or matches when the change alters nothing;
# a trace edited by one byte is refused; --perfetto writes a Chrome
# trace; `bench replay` times a run against its replay. Usage: replay_test.sh path/to/weir
set -u
weir="$1"
name=replay
source "$(dirname "$0")/lib.sh"
trace=$(mktemp --suffix=.trace)

expect 0 "record a trace" -- run --scenario baseline-classic --seed 1 --set log.partitions=2 --trace "$trace"
recorded=$(grep -o 'trace_hash=[0-9a-f]*' "$out" | cut -d= -f2)
[ -n "$recorded" ] || fail "run --trace printed no trace_hash"
expect 0 "replay the trace" -- replay "$trace"
grep -q "^replay OK: [0-9]* events, trace_hash $recorded$" "$out" || { fail "replay does not match the run's hash"; cat "$out"; }

# What if: a changed commit interval changes the run. Both lines name the
# first diverging event (its index, time, node and kind), the recorded run's
# and the changed run's.
expect 3 "what-if replay with a changed knob" -- replay "$trace" --set knobs.ingester.commit_interval_ms=300
event='event [0-9][0-9]* t=[0-9][0-9]*\.[0-9]\{9\}s node [a-z0-9-][a-z0-9-]* kind [a-z0-9._]* digest [0-9a-f]\{16\}'
[ "$(wc -l < "$out")" -eq 2 ] || { fail "what-if divergence is not two lines"; cat "$out"; }
sed -n 1p "$out" | grep -q "^recorded: $event$" || { fail "what-if: first line does not name the recorded event"; cat "$out"; }
sed -n 2p "$out" | grep -q "^replayed: $event$" || { fail "what-if: second line does not name the replayed event"; cat "$out"; }
index() { sed -n "$1p" "$out" | grep -o '^[a-z]*: event [0-9]*' | grep -o '[0-9]*$'; }
[ -n "$(index 1)" ] && [ "$(index 1)" = "$(index 2)" ] || fail "what-if: the two lines name different event indices"
[ "$(sed -n 1p "$out" | cut -d' ' -f3-)" != "$(sed -n 2p "$out" | cut -d' ' -f3-)" ] || fail "what-if: the two events are the same"

# A change that does not alter the run: the recorded value itself.
expect 0 "what-if replay with the recorded value" -- replay "$trace" --set log.partitions=2 --set knobs.ingester.commit_interval_ms=1000
grep -q "^replay OK: [0-9]* events, trace_hash $recorded$" "$out" || { fail "a no-op --set changed the run"; cat "$out"; }

expect 64 "what-if replay with a bad --set" -- replay "$trace" --set knobs.ingester.no_such_knob=true
grep -q "no_such_knob" "$err" || fail "bad --set error does not name the field"
one_line_error "bad --set"
expect 64 "what-if replay with a bad --set value" -- replay "$trace" --set log.partitions=zero
one_line_error "bad --set value"
expect 64 "--set with --check" -- replay "$trace" --check --set log.partitions=3
one_line_error "--set with --check"
expect 64 "--set with --timeline" -- replay "$trace" --timeline --set log.partitions=3
one_line_error "--set with --timeline"

# --perfetto writes the recorded events as a Chrome trace (JSON for
# Perfetto), re-running nothing; a path that cannot be written is bad input.
chrome=$(mktemp --suffix=.json)
expect 0 "replay --perfetto" -- replay "$trace" --perfetto "$chrome"
grep -q "^chrome trace $chrome: [0-9]* events" "$out" || { fail "--perfetto printed no summary"; cat "$out"; }
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$chrome" || fail "--perfetto wrote invalid JSON"
else
  grep -q '"traceEvents":\[' "$chrome" || fail "--perfetto wrote no traceEvents"
fi
grep -q '"name":"thread_name".*"ingester-zone-a-1"' "$chrome" || fail "--perfetto does not name ingester-zone-a-1"
expect 0 "replay --perfetto with a filter" -- replay "$trace" --perfetto "$chrome" --node distributor-zone-a --from 5 --to 6
expect 65 "replay --perfetto to an unwritable path" -- replay "$trace" --perfetto /nonexistent/weir.json
one_line_error "--perfetto to an unwritable path"
[ ! -e /nonexistent/weir.json.tmp ] || fail "--perfetto left a temporary file"
expect 64 "--perfetto with --check" -- replay "$trace" --check --perfetto "$chrome"
expect 64 "--perfetto with --set" -- replay "$trace" --perfetto "$chrome" --set log.partitions=3
rm -f "$chrome"

cp "$trace" "$trace.bad"
printf 'X' | dd of="$trace.bad" bs=1 seek=1000 conv=notrunc 2>/dev/null
expect 65 "replay a trace edited by one byte" -- replay "$trace.bad"
grep -q "checksum mismatch" "$err" || { fail "edited trace error does not name the checksum"; cat "$err"; }
one_line_error "edited trace"
rm -f "$trace" "$trace.bad"

# bench replay prints its figures; a short run (no speed is asserted).
expect 0 "bench replay" -- bench replay --scenario baseline-classic --seconds 20 --repeat 2 --json
for field in run_wall_seconds replay_wall_seconds replay_vs_run events trace_bytes; do
  grep -q "\"$field\":[0-9]" "$out" || { fail "bench replay --json lacks $field"; cat "$out"; }
done
grep -q '"matched":true' "$out" || fail "bench replay did not match"
expect 0 "bench replay, text" -- bench replay --scenario baseline-classic --seconds 20 --repeat 1
grep -q "^  replay / run  *[0-9.]*$" "$out" || { fail "bench replay text lacks the ratio"; cat "$out"; }
expect 64 "bench replay of a scenario without a spec" -- bench replay --scenario rpc-chaos
one_line_error "bench replay of rpc-chaos"
expect 65 "bench replay of a missing spec file" -- bench replay --scenario /nonexistent/weir.textproto
one_line_error "bench replay of a missing spec file"

finish
