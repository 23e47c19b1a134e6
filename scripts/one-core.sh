#!/usr/bin/env bash
# The parallel exercises on one usable core: grades the reference solution
# and the unusual correct fixtures of 06, 07, 08, 09, 10 and 12 (those that
# tests/e2e/mutants_NN.rs lists in `unusual_correct_solutions_pass_every_check`)
# RUNS times each (default 5), pinned to CPU 0 with taskset, and counts each
# check's outcomes. Correct code must never fail because the machine has one
# core: a check that cannot see the model there says `inconclusive`.
# Exits 1 when a correct crate got `failed` (or worse) anywhere.
#
#   scripts/one-core.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build -q -p checker
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
for number in 06 07 08 09 10 12; do
  id=$(basename exercises/"$number"_*)
  crates=("--solutions")
  for name in $(awk '/fn unusual_correct_solutions_pass_every_check/,/\]/' \
      tests/e2e/mutants_"$number".rs | grep -o '"[a-z_0-9]*"' | tr -d '"'); do
    crates+=("--subject=tests/fixtures/$id/$name")
  done
  for crate in "${crates[@]}"; do
    for run in $(seq "$runs"); do
      taskset -c 0 target/debug/checker "$number" "$crate" --format json \
        >"$reports/$number-${crate##*/}-$run.json" 2>/dev/null || true
    done
  done
done
python3 - "$reports" <<'PY'
import collections, json, pathlib, sys
counts = collections.defaultdict(collections.Counter)
bad = []
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    crate = f.stem.rsplit("-", 1)[0]
    for ex in json.loads(f.read_text())["exercises"]:
        for c in ex["checks"]:
            counts[(crate, c["name"])][c["outcome"]] += 1
            if c["outcome"] not in ("passed", "inconclusive"):
                bad.append(f"{crate} {c['name']}: {c['outcome']}: {c['message'][:200]}")
by_outcome = collections.Counter()
for (crate, check), seen in sorted(counts.items()):
    by_outcome.update(seen)
    if set(seen) != {"passed"}:
        print(f"{crate} {check}: {dict(seen)}")
print("outcomes on one core:", dict(by_outcome))
for line in bad:
    print("NOT PASSED:", line)
sys.exit(1 if bad else 0)
PY
