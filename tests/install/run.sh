#!/usr/bin/env bash
# tests/install/run.sh — agdf installed as a user gets it: `make install` into a
# temporary DESTDIR+PREFIX (the exact file list; no installed file naming the
# build tree or DESTDIR; agdf.pc and the version), then the two out-of-tree
# example projects copied into temporary directories and built against the
# staged prefix: examples/make-project (agdf.mk + pkg-config) and examples/cmake
# (find_package + agdf_add_graph).  Each runs and its output is checked; then its
# .agdf is touched and the rebuild must redo exactly the agdfc run, the generated
# C's object and the link.  Last, `make uninstall` must leave no file behind.
# Needs bin/agdfc and lib/libagdf.a (`make`), pkg-config and cmake.  ~15 s.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-install.XXXXXX")
trap 'rm -rf "$T"' EXIT
prefix=/opt/agdf-install-test           # never created: the install is staged
destdir=$T/stage
staged=$destdir$prefix
export PKG_CONFIG_PATH=$staged/lib/pkgconfig
# agdf.pc names the final PREFIX; --define-prefix reads it from the .pc's place.
export PKG_CONFIG="pkg-config --define-prefix"
strict="-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"

pass() { echo "PASS install/$1"; }
fail() {                    # fail NAME [FILE]: details from FILE, indented
    echo "FAIL install/$1"
    if [ $# -gt 1 ]; then tail -n 30 "$2" | sed 's/^/    /'; fi
}
# expect NAME FILE WANT: FILE's content is WANT.
expect() {
    if [ "$(cat "$2")" = "$3" ]; then pass "$1"
    else
        { echo "--- want"; echo "$3"; echo "--- got"; cat "$2"; } >"$T/expect.log"
        fail "$1" "$T/expect.log"
    fi
}

# ---------------------------------------------------------------- install
if make -s -C "$root" install DESTDIR="$destdir" PREFIX="$prefix" >"$T/install.log" 2>&1; then
    pass make-install
else
    fail make-install "$T/install.log"
    exit 0
fi

want="bin/agdfc
include/agdf.h
lib/cmake/agdf/agdfConfig.cmake
lib/cmake/agdf/agdfConfigVersion.cmake
lib/cmake/agdf/agdfTargets.cmake
lib/libagdf.a
lib/pkgconfig/agdf.pc
share/agdf/agdf.mk"
[ -f docs/agdfc.1 ] && want=$(printf '%s\nshare/man/man1/agdfc.1' "$want" | LC_ALL=C sort)
(cd "$staged" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$T/files"
expect file-list "$T/files" "$want"
[ "$(find "$destdir" -type f | wc -l)" -eq "$(echo "$want" | wc -l)" ] \
    && pass nothing-outside-prefix || fail nothing-outside-prefix

if grep -r -l -F -e "$root" -e "$destdir" "$staged" >"$T/grep.log"; then
    fail no-build-or-destdir-path "$T/grep.log"
else
    pass no-build-or-destdir-path
fi

version=$(sed -n 's/^#define AGDFC_VERSION "\(.*\)"$/\1/p' compiler/agdfc.h)
"$staged/bin/agdfc" --version >"$T/version" 2>&1
expect agdfc-version "$T/version" "agdfc $version"
$PKG_CONFIG --modversion agdf >"$T/pcversion" 2>&1
expect pc-version "$T/pcversion" "$version"
# Without --define-prefix: the final PREFIX, and libagdf.a's threads in --libs.
echo $(pkg-config --cflags --libs agdf 2>&1) >"$T/pcflags"
expect pc-flags "$T/pcflags" "-I$prefix/include -L$prefix/lib -lagdf -lpthread"
$PKG_CONFIG --variable=mkfile agdf >"$T/mkfile" 2>&1
expect pc-mkfile "$T/mkfile" "$staged/share/agdf/agdf.mk"

if make -s -C "$root" install DESTDIR="$T/rel" PREFIX=relative/dir >"$T/rel.log" 2>&1; then
    fail relative-prefix-refused "$T/rel.log"
elif grep -q 'PREFIX must be an absolute path' "$T/rel.log" && [ ! -e "$T/rel" ]; then
    pass relative-prefix-refused
else
    fail relative-prefix-refused "$T/rel.log"
fi

# ---------------------------------------------------------------- make
mp=$(mktemp -d "$T/make-project.XXXXXX")
cp "$root"/examples/make-project/* "$mp"/
if make -C "$mp" -j4 CFLAGS="$strict" >"$T/mp.log" 2>&1; then
    pass make-project-build
else
    fail make-project-build "$T/mp.log"
fi
[ "$(grep -c 'agdfc' "$T/mp.log")" -eq 1 ] && pass make-project-one-agdfc-run-under-j4 \
    || fail make-project-one-agdfc-run-under-j4 "$T/mp.log"
grep -q "^$staged/bin/agdfc " "$T/mp.log" && pass make-project-uses-installed-agdfc \
    || fail make-project-uses-installed-agdfc "$T/mp.log"
(cd "$mp" && ./squares) >"$T/mp.out" 2>&1
expect make-project-output "$T/mp.out" "running total: 1
running total: 5
running total: 14
running total: 30"
make -C "$mp" -q >/dev/null 2>&1 && pass make-project-up-to-date || fail make-project-up-to-date
touch "$mp/squares.agdf"
make -C "$mp" --no-print-directory CFLAGS="$strict" >"$T/mp.re.log" 2>&1
# Exactly three commands: agdfc, the generated C's object, the link.
if [ "$(wc -l <"$T/mp.re.log")" -eq 3 ] &&
   sed -n 1p "$T/mp.re.log" | grep -q 'agdfc .*squares\.agdf$' &&
   sed -n 2p "$T/mp.re.log" | grep -q ' -c -o squares\.o squares\.c$' &&
   sed -n 3p "$T/mp.re.log" | grep -q ' -o squares squares\.o squares_math\.o '; then
    pass make-project-touch-rebuilds-only-graph
else
    fail make-project-touch-rebuilds-only-graph "$T/mp.re.log"
fi
# Where pkg-config finds no agdf, make stops at the include line and says why.
(export PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$T/none" PKG_CONFIG=pkg-config
 make -C "$mp" --no-print-directory) >"$T/mp.none.log" 2>&1
grep -q "Package agdf was not found" "$T/mp.none.log" &&
    grep -q 'agdf.mk not found.  Stop' "$T/mp.none.log" \
    && pass make-project-without-agdf-says-why || fail make-project-without-agdf-says-why "$T/mp.none.log"

# The fragment includes the dependency files: a prerequisite added to one
# (as a graph that pulled in another file would have) reruns agdfc.
printf 'squares.c squares.h: extra.txt\n' >>"$mp/squares.agdf.d"
touch "$mp/extra.txt"
make -C "$mp" --no-print-directory CFLAGS="$strict" >"$T/mp.dep.log" 2>&1
[ "$(grep -c 'agdfc .*squares\.agdf$' "$T/mp.dep.log")" -eq 1 ] \
    && pass make-project-depfile-included || fail make-project-depfile-included "$T/mp.dep.log"

# ---------------------------------------------------------------- cmake
cm=$(mktemp -d "$T/cmake.XXXXXX")
cp "$root"/examples/cmake/* "$cm"/
if (cd "$cm" && cmake -S . -B build -DCMAKE_PREFIX_PATH="$staged" \
        -DCMAKE_C_FLAGS="-Wall -Wextra -Wpedantic -Werror" &&
    cmake --build build) >"$T/cm.log" 2>&1; then
    pass cmake-build
else
    fail cmake-build "$T/cm.log"
fi
(cd "$cm" && ./build/words) >"$T/cm.out" 2>&1
expect cmake-output "$T/cm.out" "graphs: 1 vowels
of: 1 vowels
coroutines: 5 vowels"
touch "$cm/words.agdf"
(cd "$cm" && cmake --build build) >"$T/cm.re.log" 2>&1
grep -E 'agdfc|Building|Linking' "$T/cm.re.log" | sed 's/^\[ *[0-9]*%\] //' >"$T/cm.re"
expect cmake-touch-rebuilds-only-graph "$T/cm.re" "agdfc words.agdf
Building C object CMakeFiles/words.dir/agdf/words/words.c.o
Linking C executable words"
(cd "$cm" && cmake --build build) >"$T/cm.again.log" 2>&1
grep -q -E 'agdfc|Building|Linking' "$T/cm.again.log" && fail cmake-up-to-date "$T/cm.again.log" \
    || pass cmake-up-to-date

# The same with Ninja, where CMake reads the depfile through ninja itself.
if command -v ninja >/dev/null 2>&1; then
    if (cd "$cm" && cmake -S . -B build-ninja -G Ninja -DCMAKE_PREFIX_PATH="$staged" &&
        cmake --build build-ninja && ./build-ninja/words) >"$T/ninja.log" 2>&1 &&
       grep -q '^coroutines: 5 vowels$' "$T/ninja.log"; then
        pass cmake-ninja-build
    else
        fail cmake-ninja-build "$T/ninja.log"
    fi
    touch "$cm/words.agdf"
    (cd "$cm" && cmake --build build-ninja) >"$T/ninja.re.log" 2>&1
    grep -o -E 'agdfc words.agdf|Building C object [^ ]*|Linking C executable [^ ]*' \
        "$T/ninja.re.log" >"$T/ninja.re"
    expect cmake-ninja-touch-rebuilds-only-graph "$T/ninja.re" "agdfc words.agdf
Building C object CMakeFiles/words.dir/agdf/words/words.c.o
Linking C executable words"
else
    pass "cmake-ninja (skipped: ninja not installed)"
fi

# find_package's version check, and agdf_add_graph's refusal of a missing file.
mkdir -p "$T/cmbad"
cat >"$T/cmbad/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(bad LANGUAGES C)
find_package(agdf 9.0 CONFIG QUIET)
message(STATUS "agdf 9.0 found: ${agdf_FOUND}")
find_package(agdf 0.1 CONFIG REQUIRED)
add_executable(bad bad.c)
agdf_add_graph(bad nope.agdf MAIN)
CMAKE
(cd "$T/cmbad" && cmake -S . -B build -DCMAKE_PREFIX_PATH="$staged") >"$T/cmbad.log" 2>&1
grep -q 'agdf 9.0 found: 0' "$T/cmbad.log" && pass cmake-version-check \
    || fail cmake-version-check "$T/cmbad.log"
grep -q "agdf_add_graph: no file '.*nope.agdf'" "$T/cmbad.log" && pass cmake-missing-graph-refused \
    || fail cmake-missing-graph-refused "$T/cmbad.log"

# ---------------------------------------------------------------- uninstall
if make -s -C "$root" uninstall DESTDIR="$destdir" PREFIX="$prefix" >"$T/uninstall.log" 2>&1; then
    pass make-uninstall
else
    fail make-uninstall "$T/uninstall.log"
fi
find "$destdir" -type f >"$T/left"
expect uninstall-leaves-no-file "$T/left" ""
[ ! -e "$staged/share/agdf" ] && [ ! -e "$staged/lib/cmake/agdf" ] \
    && pass uninstall-removes-own-directories || fail uninstall-removes-own-directories
