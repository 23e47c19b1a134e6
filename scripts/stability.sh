#!/usr/bin/env bash
# Verdict stability under load: grades the reference solution and every
# fixture crate of tests/fixtures (wrong models, unusual right ones, faults)
# REPEAT times each with `checker --repeat`, while COMPETITORS CPU-bound
# loops compete for the cores, and counts per exercise the crates with a
# check whose outcome changed between runs. The same code must get the same
# verdict every time, however busy the machine.
#
#   scripts/stability.sh [REPEAT] [COMPETITORS] [EXERCISE...]
#
# REPEAT defaults to 50 and COMPETITORS to 2; EXERCISE numbers (06 10)
# limit the run to those exercises. Every crate is built once and graded
# REPEAT times, so the whole course at 50 takes many hours on two cores:
# give it a night, or fewer exercises. `alternating` (02) changes its model
# on purpose, to test `--repeat` itself, and `endless_compile` (02) never
# finishes building: both are left out. Exits 1 when any crate changed. ONLY=solutions or ONLY=fixtures grades only those.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-50}
competitors=${2:-2}
shift $(( $# < 2 ? $# : 2 ))
cargo build -q -p checker
pids=()
for _ in $(seq "$competitors"); do
  ( while :; do :; done ) &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

# Grades one crate; prints "stable, passed" (every check passed in every
# run), "stable", "changed" (then the changes) or "error".
grade() {
  local out code=0
  out=$(target/debug/checker "$@" --repeat "$repeat" --build-timeout 300 --color never 2>/dev/null) || code=$?
  if [ "$code" -eq 2 ] || ! grep -q '^Stability:' <<<"$out"; then
    echo "error (exit $code)"
  elif grep -q 'changed between runs' <<<"$out"; then
    echo "changed"
    grep -A1 '^  changed ' <<<"$out" | sed 's/^/    /'
  elif [ "$code" -eq 0 ]; then
    echo "stable, passed"
  else
    echo "stable"
  fi
}

changed=0
started=$SECONDS
for dir in exercises/*/; do
  id=$(basename "$dir")
  number=${id%%_*}
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$number"; then
    continue
  fi
  if [ "${ONLY:-}" != fixtures ]; then
    result=$(grade "$number" --solutions)
    echo "$id solution: $result, $repeat runs ($(( SECONDS - started )) s so far)"
    [[ $result == "stable, passed" ]] || changed=$((changed + 1))
  fi
  [ "${ONLY:-}" = solutions ] && continue
  stable=0 total=0
  for fixture in tests/fixtures/"$id"/*/; do
    name=$(basename "$fixture")
    # Changes its model on purpose; compiles for ever (a build timeout,
    # not a verdict).
    case $name in alternating | endless_compile) continue ;; esac
    total=$((total + 1))
    result=$(grade "$number" --subject "$fixture")
    if [[ $result == stable* ]]; then
      stable=$((stable + 1))
    else
      changed=$((changed + 1))
      echo "$id $name: $result"
    fi
  done
  echo "$id fixtures: $stable of $total stable, $repeat runs each ($(( SECONDS - started )) s so far)"
done
echo "crates that changed, could not be graded, or (solutions) did not pass: $changed"
[ "$changed" -eq 0 ]
