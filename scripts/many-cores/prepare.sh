#!/usr/bin/env bash
# Prepares, on this machine, the many-core check that run.sh does on the
# lent 16-core machine, which has no Rust toolchain and reaches no registry.
#
# It clones this repository's last commit to /tmp/mc/repo, builds the
# checker and the bench there, and grades the solutions and every fixture of
# the parallel exercises (grade.sh) with cargo-record.sh standing in for
# cargo: every harness is built here, and cargo's answer kept. Those verdicts
# are this machine's side of the comparison. The executables, stripped, the
# kept answers and the verdicts go into .many-cores/bundle.tar.xz, which the
# device call carries (`.many-cores` is ignored through .git/info/exclude).
# The paths are the same on both machines, /tmp/mc, so the checker there asks
# cargo exactly what it asked here.
#
#   scripts/many-cores/prepare.sh [NUMBER...]
#
# NUMBER (07) limits the fixtures to those exercises, for a second, shorter
# device call after a fix; give run.sh the same numbers.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=/tmp/mc
rm -rf "$work"
mkdir -p "$work/replay"
git clone --quiet "$repo" "$work/repo"
export CARGO_TARGET_DIR=$work/target
(cd "$work/repo" && cargo build -q -p checker -p bench)
REAL_CARGO=$(command -v cargo)
export REAL_CARGO REPLAY_DIR=$work/replay CARGO=$work/repo/scripts/many-cores/cargo-record.sh
start=$(date +%s)
"$work/repo/scripts/many-cores/grade.sh" "$work/base" "$@" | tee "$work/base.log"
echo "graded in $(( $(date +%s) - start )) s, builds included"

stage=$work/stage
mkdir -p "$stage"
{
  echo "$work/target/debug/checker"
  echo "$work/target/debug/bench"
  cat "$work"/replay/*.out | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        exe = json.loads(line).get("executable")
    except ValueError:
        continue
    if exe:
        print(exe)'
} | sort -u | while read -r exe; do
  mkdir -p "$stage$(dirname "$exe")"
  cp "$exe" "$stage$exe"
  strip "$stage$exe"
done
mkdir -p "$stage$work"
cp -r "$work/replay" "$work/base" "$stage$work/"
mkdir -p "$repo/.many-cores"
grep -qx '/.many-cores/' "$repo/.git/info/exclude" 2>/dev/null ||
  echo '/.many-cores/' >>"$repo/.git/info/exclude"
tar -C "$stage" -cf - tmp | xz -9 -T1 >"$repo/.many-cores/bundle.tar.xz"
ls -la "$repo/.many-cores/bundle.tar.xz"
