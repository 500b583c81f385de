#!/usr/bin/env bash
# The command-line contract (README.md): exit codes, one-line errors on bad
# usage, and the JSON fields. Usage: cli_test.sh path/to/weir
set -u
weir="$1"
name=contract
source "$(dirname "$0")/lib.sh"

expect 0 "run a built-in" -- run --scenario rpc-chaos --seed 1
expect 64 "unknown scenario" -- run --scenario no-such --seed 1
grep -q "unknown scenario 'no-such'" "$err" || fail "error does not name the scenario"
one_line_error "usage error"
expect 64 "bad seed" -- run --scenario rpc-chaos --seed abc
one_line_error "bad seed error"
expect 64 "negative seed" -- run --scenario rpc-chaos --seed -1
one_line_error "negative seed error"
expect 64 "seed past 2^64-1" -- shrink --scenario baseline-classic --seed 18446744073709551616
expect 64 "missing seed" -- run --scenario rpc-chaos
expect 64 "unknown flag" -- run --scenario rpc-chaos --seed 1 --frobnicate
expect 64 "no subcommand" --
expect 64 "bad seed range" -- sweep --scenario rpc-chaos --seeds 9:2
expect 64 "bad shard" -- sweep --scenario rpc-chaos --seeds 0:4 --shard 3/3
expect 0 "scenarios" -- scenarios
grep -q "^rpc-chaos" "$out" || fail "scenarios does not list rpc-chaos first on its line"

expect 0 "run --json" -- run --scenario rpc-chaos --seed 3 --json
for field in scenario seed trace_hash sim_seconds wall_seconds events violations checked vacuous; do
  grep -q "\"$field\"" "$out" || fail "--json lacks $field"
done
grep -q '"checked":{"liveness":[1-9][0-9]*,"no_lost_acked_writes":[1-9][0-9]*}' "$out" || fail "--json checked nothing"
first=$(grep -o '"trace_hash":"[0-9a-f]*"' "$out")
expect 0 "run --json again" -- run --scenario rpc-chaos --seed 3 --json
[ "$first" = "$(grep -o '"trace_hash":"[0-9a-f]*"' "$out")" ] || fail "same seed, different hash"

expect 0 "sweep" -- sweep --scenario rpc-chaos --seeds 0:8 -j 2 --json
[ "$(grep -c '"trace_hash"' "$out")" -eq 8 ] || fail "sweep --json did not print 8 runs"
grep -q '"summary":true' "$out" || fail "sweep --json has no summary"
grep -q '"vacuous_by_property":{}' "$out" || fail "sweep --json lacks vacuous_by_property, or rpc-chaos judged nothing"
expect 0 "bench core" -- bench core --actors 10 --sleeps 10 --json
grep -q '"wakeups_per_second"' "$out" || fail "bench core lacks wakeups_per_second"
expect 0 "bench scenario" -- bench scenario --scenario baseline-classic --set log.partitions=2 --repeat 2 --json
for field in sim_seconds_per_wall_second events_per_wall_second peak_rss_mib trace_hash; do
  grep -q "\"$field\"" "$out" || fail "bench scenario lacks $field"
done
expect 0 "bench pipeline" -- bench pipeline --series 600 --partitions 4 --seconds 60 --scrape-interval 10 --json
for field in samples_per_wall_second sim_seconds_per_wall_second peak_rss_mib rss_kib_per_series floor_ratio \
             floor_samples_per_wall_second verdict; do
  grep -q "\"$field\"" "$out" || fail "bench pipeline lacks $field"
done
grep -q '"active_series":600' "$out" || fail "bench pipeline did not run 600 series over its clients"
grep -q '"partitions":4' "$out" || fail "bench pipeline ignored --partitions"
expect 64 "bench pipeline with no scrape after the clients start" -- bench pipeline --seconds 30 --scrape-interval 60
one_line_error "bench pipeline with no scrape after the clients start"
expect 0 "bench log --flavour diskless" -- bench log --flavour diskless --partitions 2 --producers 1 --seconds 1 --json
grep -q '"flavour":"diskless"' "$out" || fail "bench log did not run the diskless log"
expect 64 "bench log with an unknown flavour" -- bench log --flavour kraft
one_line_error "bench log with an unknown flavour"
grep -q "'kraft' is not classic or diskless" "$err" || fail "the flavour error does not name the flavour"
expect 1 "bench scenario of a failing scenario exits as run does" -- bench scenario --scenario baseline-diskless --seed 0 --set log.diskless.ack_before_commit=true --repeat 1
expect 64 "bench scenario of an unknown scenario" -- bench scenario --scenario no-such
one_line_error "bench scenario of an unknown scenario"

data="$(dirname "$0")/../data/remote-write/prometheus-2.42-self"
expect 0 "capture stats" -- capture stats "$data" --json
grep -q '"requests":27,"samples":10597,"series":10597' "$out" || { fail "capture stats counts"; cat "$out"; }
expect 65 "capture stats of a missing folder" -- capture stats /nonexistent-weir-folder
bad=$(mktemp -d)
head -c 100 "$data/req-0001.bin" > "$bad/req-0000.bin"
expect 65 "capture stats of a truncated capture" -- capture stats "$bad"
grep -q "req-0000.bin: snappy" "$err" || fail "error does not name the file"
one_line_error "bad capture error"
rm -rf "$bad"

# Scenario specs: a malformed file is bad input (65) with FILE:LINE; a bad
# --set is bad usage (64) naming the field; a --set changes the run.
spec=$(mktemp --suffix=.textproto)
printf 'name: "broken"\nlog {\n  partitionz: 3\n}\n' > "$spec"
expect 65 "malformed scenario file" -- run --scenario "$spec" --seed 1
grep -q "$spec:3:" "$err" || { fail "spec error lacks FILE:LINE"; cat "$err"; }
one_line_error "spec error"
expect 65 "missing scenario file" -- run --scenario /nonexistent/weir.textproto --seed 1
printf 'name: "\xff"\n' > "$spec"
expect 65 "a spec file with a string that is not UTF-8" -- run --scenario "$spec" --seed 1
grep -q "name: not valid UTF-8" "$err" || fail "the UTF-8 error does not name the field"
expect 64 "a --set string that is not UTF-8" -- run --scenario baseline-classic --seed 1 --set $'description=\xfe' --json
one_line_error "UTF-8 --set error"
expect 64 "bad --set path" -- run --scenario baseline-classic --seed 1 --set knobs.ingester.no_such_knob=true
grep -q "no_such_knob" "$err" || fail "--set error does not name the field"
one_line_error "--set error"
expect 64 "bad --set value" -- sweep --scenario baseline-classic --seeds 0:2 --set log.partitions=zero
expect 64 "--set on a scenario without a spec" -- run --scenario rpc-chaos --seed 1 --set log.partitions=2
expect 0 "run a spec" -- run --scenario baseline-classic --seed 2 --json
plain=$(grep -o '"trace_hash":"[0-9a-f]*"' "$out")
expect 0 "run a spec with --set" -- run --scenario baseline-classic --seed 2 --json --set knobs.ingester.commit_interval_ms=300
[ "$plain" != "$(grep -o '"trace_hash":"[0-9a-f]*"' "$out")" ] || fail "--set did not change the run"
printf 'name: "from-file"\nlog { flavour: DISKLESS partitions: 4 }\nphases { safety_ms: 30000 drain_ms: 30000 }\n' > "$spec"
expect 1 "a spec file with a planted knob fails with its reproduction line" -- run --scenario "$spec" --seed 1 --set log.diskless.ack_before_commit=true
grep -q "reproduce: weir run --scenario $spec --seed 1 --set log.diskless.ack_before_commit=true" "$out" || { fail "reproduction line lacks the file or --set"; cat "$out"; }
rm -f "$spec"

# Trace files: run --trace then replay matches (0); a damaged or truncated
# trace is bad input (65) with one line; --check judges the stored history.
trace=$(mktemp --suffix=.trace)
expect 0 "run --trace" -- run --scenario baseline-diskless --seed 1 --set log.partitions=2 --trace "$trace"
[ ! -e "$trace.tmp" ] || fail "run --trace left $trace.tmp"
recorded=$(grep -o 'trace_hash=[0-9a-f]*' "$out" | cut -d= -f2)
expect 0 "replay a trace" -- replay "$trace"
grep -q "^replay OK: [0-9]* events, trace_hash $recorded$" "$out" || { fail "replay does not report OK with the run's hash"; cat "$out"; }
expect 0 "replay --check of a clean trace" -- replay --check "$trace"
cp "$trace" "$trace.bad"
printf 'X' | dd of="$trace.bad" bs=1 seek=2000 conv=notrunc 2>/dev/null
expect 65 "replay a corrupted trace" -- replay "$trace.bad"
grep -q "checksum mismatch" "$err" || { fail "corrupted trace error does not say checksum"; cat "$err"; }
one_line_error "corrupted trace error"
head -c 3000 "$trace" > "$trace.bad"
expect 65 "replay a truncated trace" -- replay "$trace.bad"
grep -q "truncated" "$err" || fail "truncated trace error does not say truncated"
expect 65 "replay a missing trace" -- replay /nonexistent/weir.trace
expect 1 "run --trace with a planted knob" -- run --scenario baseline-diskless --seed 0 --set log.diskless.ack_before_commit=true --trace "$trace"
expect 1 "replay --check finds the planted bug offline" -- replay --check "$trace"
grep -q "^violation identical_ordering" "$out" || fail "replay --check does not list identical_ordering"
expect 64 "run --trace of a scenario without a spec" -- run --scenario rpc-chaos --seed 1 --trace "$trace"
# replay --timeline reads the file only and prints the events that pass its
# filters: every line of the node, inside [from, to).
expect 0 "run --trace baseline-classic" -- run --scenario baseline-classic --seed 1 --trace "$trace"
timeline_only() {  # timeline_only NODE FROM TO: every printed line is NODE in [FROM, TO)
  awk -v node="$1" -v from="$2" -v to="$3" '$2 != node || $1 < from || $1 >= to { bad = 1 } END { exit bad }' "$out" ||
    fail "replay --timeline printed lines outside --node $1 --from $2 --to $3"
}
expect 0 "replay --timeline of one node in a window" -- replay "$trace" --timeline --node distributor-zone-a --from 5 --to 6
timeline_only distributor-zone-a 5 6
expect 0 "replay --timeline of one node in a wider window" -- replay "$trace" --timeline --node distributor-zone-a --from 20 --to 30
timeline_only distributor-zone-a 20 30
[ -s "$out" ] || fail "replay --timeline printed nothing for distributor-zone-a in [20, 30)"
# By default the timeline is what the systems did, in words; --runtime adds the runtime's events.
grep -q "mimir.distributor.push: push of write #" "$out" || fail "replay --timeline does not show the distributor's pushes"
grep -q "fiber.wake" "$out" && fail "replay --timeline shows runtime events without --runtime"
expect 0 "replay --timeline --runtime" -- replay "$trace" --timeline --runtime --node distributor-zone-a --from 20 --to 30
timeline_only distributor-zone-a 20 30
grep -q "fiber.wake" "$out" || fail "replay --timeline --runtime does not show fiber wakes"
expect 64 "explain a trace without violations" -- explain "$trace"
one_line_error "explain without violations"
expect 64 "replay --timeline with a bad number" -- replay "$trace" --timeline --from five
expect 64 "replay --timeline with --from after --to" -- replay "$trace" --timeline --from 6 --to 5
expect 64 "replay --node without --timeline" -- replay "$trace" --node distributor-zone-a
expect 65 "replay --timeline of a missing trace" -- replay /nonexistent/weir.trace --timeline
# explain tells the story of a violation from the trace's domain events.
expect 0 "run --trace past the fault budget" -- run --scenario beyond-budget-classic --seed 0 --set log.partitions=1 --trace "$trace"
grep -q "^    timeline: weir replay $trace --timeline --from [0-9.]* --to [0-9.]*; story: weir explain $trace --violation 1" "$out" ||
  fail "run does not print the timeline window under a violation"
expect 0 "run --json carries evidence" -- run --scenario beyond-budget-classic --seed 0 --set log.partitions=1 --json
grep -q '"evidence":{[^}]*"write":[0-9]*' "$out" || fail "run --json lacks a violation's evidence"
expect 0 "sweep --json carries evidence from its workers" -- sweep --scenario beyond-budget-classic --seeds 0:1 --set log.partitions=1 --json
grep -q '"evidence":{[^}]*"series":"0x[0-9a-f]\{16\}"' "$out" || fail "sweep --json lacks a violation's evidence"
expect 0 "explain the first violation" -- explain "$trace"
grep -q "^violation no_lost_acked_samples: acked write #" "$out" || fail "explain does not name the violation"
grep -q "^  [0-9.]* kafka-broker-[0-9] zone-[a-c] kafka.classic.log_recovered: partition 0 recovered from disk" "$out" ||
  fail "explain does not show the brokers' recovery"
grep -q "^last avoidable moment: just before 30.000000s" "$out" || fail "explain does not name the last avoidable moment"
expect 0 "explain --json" -- explain "$trace" --violation 2 --json
grep -q '"last_avoidable":{' "$out" || fail "explain --json lacks last_avoidable"
expect 64 "explain past the last violation" -- explain "$trace" --violation 100000
one_line_error "explain --violation out of range"
expect 64 "explain --violation 0" -- explain "$trace" --violation 0
expect 65 "explain a missing trace" -- explain /nonexistent/weir.trace
rm -f "$trace" "$trace.bad"

finish
