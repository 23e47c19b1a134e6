#!/usr/bin/env bash
# Grades the reference solutions N times (default 20) while two CPU-bound
# processes compete for the cores, and counts the runs that did not pass.
# A correct solution must never fail because the machine is busy.
#
#   scripts/stress-solutions.sh [RUNS] [COMPETITORS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
competitors=${2:-2}
cargo build -q -p checker
pids=()
for _ in $(seq "$competitors"); do
  ( while :; do :; done ) &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
failed=0
reports=$(mktemp -d)
for i in $(seq "$runs"); do
  if out=$(target/debug/checker --solutions --format json 2>/dev/null); then
    echo "run $i: passed"
    echo "$out" > "$reports/$i.json"
  else
    failed=$((failed + 1))
    echo "run $i: NOT PASSED"
    echo "$out" | grep -B2 -A3 '"outcome": "\(failed\|inconclusive\|timed_out\|crashed\|panicked\)"' || true
  fi
done
# The margins: the worst stall of the async runtime and the largest share of
# the blur done by one thread, over all passing runs.
python3 - "$reports" <<'PY'
import json, pathlib, re, sys
stalls, shares = [], []
for f in pathlib.Path(sys.argv[1]).glob("*.json"):
    for ex in json.loads(f.read_text())["exercises"]:
        for c in ex["checks"]:
            text = " ".join([c["message"]] + c.get("details", []))
            if c["name"] == "never_blocks":
                stalls += [int(n) for n in re.findall(r"(?:longest poll|worst) (\d+) ms", text)]
            if c["name"] == "work_shared":
                found = [int(n) for n in re.findall(r"(\d+)% \(", text)]
                shares += found[:1]
if stalls: print(f"worst runtime stall: {max(stalls)} ms (fails at 50 ms)")
if shares: print(f"largest one-thread share of the blur: {max(shares)}% (fails above 80%)")
PY
rm -rf "$reports"
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
