#!/usr/bin/env bash
# Prints "scenario seed trace_hash" for every built-in scenario over a seed
# range, one line per run. A change meant only to restructure or speed up
# must leave this output unchanged:
#   scripts/trace-hashes.sh build/weir > before.txt   (on the old build)
#   scripts/trace-hashes.sh build/weir > after.txt    (on the new one)
#   diff before.txt after.txt
# Usage: scripts/trace-hashes.sh WEIR_BINARY [SEEDS, default 0:20]
set -euo pipefail
weir=${1:?usage: scripts/trace-hashes.sh WEIR_BINARY [SEEDS]}
seeds=${2:-0:20}
for scenario in $("$weir" scenarios | cut -f1); do
  "$weir" sweep --scenario "$scenario" --seeds "$seeds" -j 2 --recheck-ratio 0 --json |
    sed -n 's/.*"scenario":"\([^"]*\)","seed":\([0-9]*\),.*"trace_hash":"\([0-9a-f]*\)".*/\1 \2 \3/p' ||
    true
done
