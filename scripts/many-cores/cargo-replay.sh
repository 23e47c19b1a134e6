#!/bin/sh
# Stands in for cargo where none is installed: answers a build with the
# messages cargo-record.sh kept for the same arguments. The executables they
# name were built beforehand and travel with the bundle.
key=$(printf '%s\n' "$@" | sha256sum | cut -c1-16)
if [ ! -f "$REPLAY_DIR/$key.out" ]; then
  echo "cargo-replay: no build was recorded for: cargo $*" >&2
  exit 101
fi
cat "$REPLAY_DIR/$key.out"
exit "$(cat "$REPLAY_DIR/$key.code")"
