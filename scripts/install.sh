#!/bin/sh
# scripts/install.sh — what `make install` and `make uninstall` run.  One list
# (install_all below) says what is installed where, so uninstall removes exactly
# what install wrote: the compiler, libagdf.a and its header, the man page (when
# docs/agdfc.1 exists), pkg-config's agdf.pc, the Make fragment agdf.mk and the
# CMake package.  agdf.pc and agdfConfigVersion.cmake are made from the
# templates in dist/ with the final PREFIX, never DESTDIR (a staged install is
# copied elsewhere as it is); the version comes from compiler/agdfc.h.  The
# installed binaries are stripped of their debug information, which names the
# build tree.  docs/build.md describes the result.
#
#   PREFIX=/usr/local [DESTDIR=/staging] [CC=cc] [STRIP=strip] sh scripts/install.sh install|uninstall
set -eu
cd "$(dirname "$0")/.."
die() { echo "make $action: $*" >&2; exit 1; }
action=${1:-}
DESTDIR=${DESTDIR-}
STRIP=${STRIP:-strip}
case $action in install|uninstall) ;; *) echo "usage: $0 install|uninstall" >&2; exit 2 ;; esac

# PREFIX is written into agdf.pc, whose syntax and users (make, shells) split on
# blanks and expand $ and quotes: refuse what would not come back unchanged.
PREFIX=${PREFIX:-}
case $PREFIX in /*) ;; *) die "PREFIX must be an absolute path, not '$PREFIX'" ;; esac
case $PREFIX in *[!A-Za-z0-9_./+-]*)
    die "PREFIX '$PREFIX' has a character other than letters, digits and _ . / + -" ;;
esac
case $DESTDIR in ''|/*) ;; *) die "DESTDIR must be empty or an absolute path, not '$DESTDIR'" ;; esac
dest=$DESTDIR$PREFIX

version=$(sed -n 's/^#define AGDFC_VERSION "\(.*\)"$/\1/p' compiler/agdfc.h)
[ -n "$version" ] || die "no AGDFC_VERSION in compiler/agdfc.h"

# put MODE SOURCE DEST-RELATIVE-TO-PREFIX [strip flags]: install one file, or
# (uninstall) remove it.
put() {
    if [ "$action" = uninstall ]; then
        if [ -e "$dest/$3" ]; then echo "rm $dest/$3"; rm -f "$dest/$3"; fi
        return
    fi
    echo "install $dest/$3"
    install -d "$(dirname "$dest/$3")"
    install -m "$1" "$2" "$dest/$3"
    if [ $# -gt 3 ]; then "$STRIP" $4 "$dest/$3"; fi
}

# subst TEMPLATE OUT: @PREFIX@, @VERSION@ and @SIZEOF_VOID_P@ replaced.
subst() {
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$version|g" \
        -e "s|@SIZEOF_VOID_P@|$pointer_size|g" "$1" >"$2"
    if grep -q '@[A-Z_]*@' "$2"; then die "$1: a placeholder was left in $2"; fi
}

gen=""
if [ "$action" = install ]; then
    for f in bin/agdfc lib/libagdf.a; do [ -f "$f" ] || die "$f is missing (run make)"; done
    pointer_size=$(${CC:-cc} -dM -E - </dev/null | sed -n 's/^#define __SIZEOF_POINTER__ //p')
    [ -n "$pointer_size" ] || die "cannot ask ${CC:-cc} for the size of a pointer"
    gen=$(mktemp -d "${TMPDIR:-/tmp}/agdf-install.XXXXXX")
    trap 'rm -rf "$gen"' EXIT
    subst dist/agdf.pc.in "$gen/agdf.pc"
    subst dist/agdfConfigVersion.cmake.in "$gen/agdfConfigVersion.cmake"
fi

put 755 bin/agdfc bin/agdfc ""
put 644 lib/libagdf.a lib/libagdf.a --strip-debug
put 644 runtime/agdf.h include/agdf.h
for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' runtime/agdf.h); do
    put 644 "runtime/$h" "include/$h"
done
put 644 "$gen/agdf.pc" lib/pkgconfig/agdf.pc
put 644 dist/agdf.mk share/agdf/agdf.mk
put 644 dist/agdfConfig.cmake lib/cmake/agdf/agdfConfig.cmake
put 644 "$gen/agdfConfigVersion.cmake" lib/cmake/agdf/agdfConfigVersion.cmake
put 644 dist/agdfTargets.cmake lib/cmake/agdf/agdfTargets.cmake
if [ "$action" = uninstall ] || [ -f docs/agdfc.1 ]; then
    put 644 docs/agdfc.1 share/man/man1/agdfc.1
fi

# The two directories that are agdf's own go too, when nothing else is in them,
# then lib/cmake, lib/pkgconfig and share/man/man1, which install may have made
# (a prefix such as /usr/local often has none of them); bin, lib, include and
# share/man stay.
if [ "$action" = uninstall ]; then
    for d in share/agdf lib/cmake/agdf lib/cmake lib/pkgconfig share/man/man1; do
        if [ -d "$dest/$d" ] && [ -z "$(ls -A "$dest/$d")" ]; then
            echo "rmdir $dest/$d"
            rmdir "$dest/$d"
        fi
    done
fi
