#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image,
# from the folder the bundle was unpacked in (/autograder/source). It goes
# online only to install what is missing: a C linker, and Rust. The course's
# own dependencies are in vendor/ beside the workspace.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

if ! command -v cc >/dev/null 2>&1; then
    apt-get update
    apt-get install -y --no-install-recommends build-essential ca-certificates curl
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
    command -v curl >/dev/null 2>&1 || { apt-get update && apt-get install -y --no-install-recommends ca-certificates curl; }
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --default-toolchain stable
fi

# Cargo looks for this file from the folder it runs in upwards; an absolute
# path to vendor/ works from any of them, the graded copies included.
mkdir -p "$SOURCE/workspace/.cargo"
cat >"$SOURCE/workspace/.cargo/config.toml" <<TOML
# Written by setup.sh: every dependency comes from the vendored copy, and
# cargo never goes online.
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = '$SOURCE/vendor'

[net]
offline = true
TOML

cd "$SOURCE/workspace"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$SOURCE/workspace/target}"
cargo build --release --locked -p checker

# Grading the reference solutions once compiles every dependency of the
# graded crates into the image, so each submission compiles only its own
# crates. Its result is shown, not required: AUTOGRADER_WARM=0 skips it.
if [ "${AUTOGRADER_WARM:-1}" != 0 ]; then
    "$CARGO_TARGET_DIR/release/checker" --solutions --color never || true
fi
