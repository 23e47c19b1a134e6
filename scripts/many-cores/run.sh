#!/usr/bin/env bash
# The many-core check, on the lent machine (see prepare.sh, run first here):
# grades the solutions and every fixture of the parallel exercises with the
# checker and the harnesses built here, sets each check's outcome beside this
# machine's (compare.py), grades the solutions three more times, runs the
# parallel solutions' checks with rayon's default pool (pool.py), and
# measures the bench's speedups. Everything it prints also goes into $OUT.
#
#   scripts/many-cores/run.sh [NUMBER...]
#
# With NUMBERs (as given to prepare.sh) it grades only the solutions and
# those exercises' fixtures, and compares them. `run.sh stability REPEAT
# SECONDS NUMBER...` runs the stability protocol instead (stability.py).
set -uo pipefail
out=${OUT:-/tmp/mc/out}
mkdir -p /tmp/mc "$out"
rm -rf /tmp/mc/repo
mkdir -p /tmp/mc/repo
# The working tree, without build outputs or the bundle itself.
tar --exclude=./target --exclude=./.many-cores -cf - . | tar -C /tmp/mc/repo -xf -
python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall("/")' \
  .many-cores/bundle.tar.xz
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
here=/tmp/mc/repo/scripts/many-cores
export CARGO=$here/cargo-replay.sh REPLAY_DIR=/tmp/mc/replay CARGO_TARGET_DIR=/tmp/mc/target
if [ "${1:-}" = stability ]; then
  # run.sh stability REPEAT SECONDS NUMBER...: the stability protocol on
  # pairs of CPUs (stability.py), for the fixtures prepare.sh recorded.
  shift
  python3 "$here/stability.py" /tmp/mc/target/debug/checker /tmp/mc/repo "$@" |
    tee "$out/stability.txt"
  exit "${PIPESTATUS[0]}"
fi
start=$(date +%s)
"$here/grade.sh" /tmp/mc/device "$@" >"$out/grade.log"
echo "graded $(grep -c exit "$out/grade.log") crates in $(( $(date +%s) - start )) s"
python3 "$here/compare.py" /tmp/mc/base /tmp/mc/device | tee "$out/compare.txt"
if [ $# -gt 0 ]; then
  tar -C /tmp/mc -czf "$out/device.tar.gz" device
  exit
fi
/tmp/mc/target/debug/checker --solutions --seed 1 --repeat 3 --color never 2>&1 |
  tail -n 8 | tee "$out/repeat.txt"
python3 "$here/pool.py" /tmp/mc/target | tee "$out/pool.txt"
/tmp/mc/target/debug/bench speedups 2>&1 | tee "$out/speedups.txt"
tar -C /tmp/mc -czf "$out/device.tar.gz" device
