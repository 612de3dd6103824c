#!/bin/sh
# scripts/deps.sh — makes sure the build's Debian packages are installed.
#
# The build needs re2c (lexer), lemon (parser) and cmocka (unit tests).  When
# one is missing this installs it with apt-get (through sudo when not root);
# when that is impossible it stops and prints the one command that would.
# `scripts/deps.sh --check` only reports, exit status 1 when something is missing.
set -eu

missing=""
command -v re2c  >/dev/null 2>&1 || missing="$missing re2c"
command -v lemon >/dev/null 2>&1 || missing="$missing lemon"
[ -f /usr/include/cmocka.h ] || [ -f /usr/local/include/cmocka.h ] || missing="$missing libcmocka-dev"
for extra in "$@"; do
    case "$extra" in
    --check) ;;
    valgrind) command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind" ;;
    clang) command -v clang >/dev/null 2>&1 || missing="$missing clang" ;;
    esac
done

[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
    echo "missing:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "agdf: missing build dependencies:$missing" >&2
    echo "agdf: install them with: apt-get install -y$missing   (as root)" >&2
    exit 1
fi
echo "agdf: installing build dependencies:$missing" >&2
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null; }; then
    echo "agdf: could not install; run: sudo apt-get install -y$missing" >&2
    exit 1
fi
