#!/usr/bin/env bash
# tests/docs/run.sh — the documentation, tried as a new user would: replays
# docs/tutorial.md step by step (install into a temporary HOME from this
# checkout, then every file written, every command run, every shown output
# compared) and README.md's minimal example (run in a directory that sees the
# checkout's bin/, lib/ and runtime/), compiles every complete graph of
# README.md and docs/language.md, and builds and runs the program the files
# of docs/language.md make.  The conventions that say what each block is
# are at the top of tests/docs/replay.py.  Budget: under 60 s (about 10 s here,
# most of it the tutorial's two real-time seconds and its builds).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL docs/python3"
    echo "    python3 is needed"
    exit 0
fi
mkdir -p "$tmp/home" "$tmp/readme" "$tmp/language"
for d in readme language; do ln -s "$root/bin" "$root/lib" "$root/runtime" "$tmp/$d/"; done
export HOME=$tmp/home
# A reader's shell is not inside a make: no "Entering directory" in the outputs.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
replay() { python3 tests/docs/replay.py "$@" --agdfc "$root/bin/agdfc" --runtime "$root/runtime"; }
replay docs/tutorial.md "$root"
replay README.md "$tmp/readme"
replay docs/language.md "$tmp/language"
