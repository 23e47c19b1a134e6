#!/bin/sh
# Stands in for cargo (the checker runs `$CARGO`): runs the real one and
# keeps its answer, keyed by the arguments, under $REPLAY_DIR, so that
# cargo-replay.sh can give the same answer on a machine with no toolchain.
key=$(printf '%s\n' "$@" | sha256sum | cut -c1-16)
"$REAL_CARGO" "$@" >"$REPLAY_DIR/$key.out"
code=$?
echo "$code" >"$REPLAY_DIR/$key.code"
cat "$REPLAY_DIR/$key.out"
exit "$code"
