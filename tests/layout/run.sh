#!/usr/bin/env bash
# tests/layout/run.sh — the compiler's source layout (docs/testing.md, "Code
# layout"): no cycle between compiler modules, one prefix per module, one
# brace style, and scripts/brace_style.py converting without changing any
# token.  The checks are in tests/layout/layout.py; they read the objects of
# build/ (`make` first) with nm.  Budget: under a second.
# One line per check: "PASS layout/NAME" or "FAIL layout/NAME" + details.
set -u
cd "$(dirname "$0")/../.."
python3 tests/layout/layout.py
