#!/usr/bin/env bash
# `weir shrink` from the command line: a failing seed's six faults cut to at
# most three, printed one per line with the verdict; its `reproduce:` line,
# run as the shell reads it, fails the same way with the same trace hash; a
# passing seed exits 0 with one line; --json prints one object; bad usage
# exits 64 with one line. Usage: shrink_test.sh path/to/weir
set -u
weir="$1"
plan="$(cd "$(dirname "$0")/../data" && pwd)/shrink-slow-disk-kill.textproto"
name=shrink
source "$(dirname "$0")/lib.sh"

# Bad usage: 64 (65 for a spec that does not load), one line, nothing run.
expect 64 "no --seed" -- shrink --scenario "$plan"
one_line_error "no --seed"
expect 64 "--runs-max 1" -- shrink --scenario "$plan" --seed 1 --runs-max 1
one_line_error "--runs-max 1"
expect 64 "unknown scenario" -- shrink --scenario no-such --seed 1
one_line_error "unknown scenario"
expect 64 "bad --set" -- shrink --scenario "$plan" --seed 1 --set knobs.ingester.no_such_knob=true
one_line_error "bad --set"
expect 64 "a built-in without a spec" -- shrink --scenario rpc-chaos --seed 1
one_line_error "a built-in without a spec"
grep -q "no spec" "$err" || fail "a built-in without a spec: the error does not say so"
expect 65 "missing spec file" -- shrink --scenario /nonexistent/weir.textproto --seed 1
one_line_error "missing spec file"
expect 0 "--help documents the exit code" -- shrink --help
grep -q "Exit code: the shrunk run's" "$out" || fail "shrink --help does not document the exit code"

# A passing seed: nothing to shrink, one line, exit 0.
expect 0 "a passing seed" -- shrink --scenario "$plan" --seed 0
[ "$(wc -l < "$out")" -eq 1 ] || { fail "a passing seed printed more than one line"; cat "$out"; }
grep -q "^PASS scenario=shrink-slow-disk-kill seed=0: the run passed, nothing to shrink$" "$out" ||
  { fail "a passing seed: unexpected output"; cat "$out"; }

# A failing seed: six faults cut to at most three, exit 1 (safety).
expect 1 "shrink a failing seed" -- shrink --scenario "$plan" --seed 1 --runs-max 40
header='^shrink shrink-slow-disk-kill seed 1: 6 faults cut to [1-3] in [0-9]* runs (1-minimal, '
head -1 "$out" | grep -q "$header" || { fail "shrink: unexpected summary line"; cat "$out"; }
kept=$(grep -c '^  t=[0-9.]*s [a-z_]* target=-\?[0-9]* for [0-9.]*s' "$out")
[ "$kept" -ge 1 ] && [ "$kept" -le 3 ] || { fail "shrink: $kept fault lines, want 1 to 3"; cat "$out"; }
grep -q "^  violation no_lost_acked_samples: " "$out" || fail "shrink: no no_lost_acked_samples violation printed"
hash=$(grep -o '^FAIL (safety) scenario=shrink-slow-disk-kill seed=1 trace_hash=[0-9a-f]*' "$out" | cut -d= -f4)
[ -n "$hash" ] || { fail "shrink: no verdict line with a trace hash"; cat "$out"; }
line=$(sed -n 's/^reproduce: weir //p' "$out")
[ -n "$line" ] || fail "shrink: no reproduce line"

# The reproduce line, read back by the shell: the same failure, the same run.
eval "set -- $line"
expect 1 "the reproduce line" -- "$@"
grep -q "^FAIL (safety) scenario=shrink-slow-disk-kill seed=1 trace_hash=$hash " "$out" ||
  { fail "the reproduce line does not give the shrunk run's trace hash $hash"; cat "$out"; }
grep -q "^  violation no_lost_acked_samples: " "$out" || fail "the reproduce line: no no_lost_acked_samples violation"

# --json: one object with the schedule, the verdict and the line.
expect 1 "shrink --json" -- shrink --scenario "$plan" --seed 1 --runs-max 40 --json
[ "$(wc -l < "$out")" -eq 1 ] || fail "shrink --json printed more than one line"
for field in '"status":"shrunk"' '"exit_code":1' '"original_faults":6' '"faults":\[{' '"runs":' '"finished":true' \
             '"reproduce":"weir run --scenario ' "\"trace_hash\":\"$hash\"" '"run":{'; do
  grep -q "$field" "$out" || fail "shrink --json lacks $field"
done

finish
