# Shared by the command-line test scripts: source it after setting `weir`
# (the binary under test) and `name` (for the temporary files and the
# summary). Each check that fails prints one FAIL line and counts; `finish`
# removes the temporary files and exits non-zero if any check failed.
failures=0
out=$(mktemp "/tmp/weir-$name-out.XXXXXX")
err=$(mktemp "/tmp/weir-$name-err.XXXXXX")

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() {  # expect CODE DESCRIPTION -- ARGS...: runs weir ARGS, stdout in $out, stderr in $err
  local want="$1" what="$2"; shift 3
  "$weir" "$@" >"$out" 2>"$err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "$what: exit $got, want $want"; cat "$err"
  fi
}
one_line_error() { [ "$(wc -l < "$err")" -eq 1 ] || { fail "$1: the error is not one line"; cat "$err"; }; }
finish() {
  rm -f "$out" "$err"
  echo "cli $name: $failures failures"
  [ "$failures" -eq 0 ]
}
