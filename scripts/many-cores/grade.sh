#!/usr/bin/env bash
# Grades, with the checker built under /tmp/mc, the reference solutions and
# every fixture crate of the parallel exercises (06, 07, 08, 09, 10, 12),
# one JSON report each, into RESULTS. The same list runs on both machines,
# so compare.py can set their verdicts side by side.
#
#   grade.sh RESULTS
set -uo pipefail
root=/tmp/mc/repo
checker=/tmp/mc/target/debug/checker
export CARGO_TARGET_DIR=/tmp/mc/target
out=$1
shift
numbers=("$@")
[ ${#numbers[@]} -gt 0 ] || numbers=(06 07 08 09 10 12)
mkdir -p "$out"
"$checker" --solutions --seed 1 --format json >"$out/solutions.json" 2>"$out/solutions.err"
echo "solutions: exit $?"
for number in "${numbers[@]}"; do
  for dir in "$root"/tests/fixtures/"$number"_*/*/; do
    [ -f "$dir/Cargo.toml" ] || continue
    name=$(basename "$dir")
    "$checker" "$number" --subject "${dir%/}" --seed 1 --format json \
      >"$out/$number-$name.json" 2>"$out/$number-$name.err"
    echo "$number $name: exit $?"
  done
done
