#!/usr/bin/env bash
# tests/install/run.sh — agdf installed as a user gets it: `make install` into a
# temporary DESTDIR+PREFIX (the exact file list; no installed file naming the
# build tree or DESTDIR; agdf.pc and the version), then the two out-of-tree
# example projects copied into temporary directories and built against the
# staged prefix: examples/make-project (agdf.mk + pkg-config) and examples/cmake
# (find_package + agdf_add_graph).  Each runs and its output is checked; then its
# .agdf is touched and the rebuild must redo exactly the agdfc run, the generated
# C's object and the link.  Then projects of a stranger's own: plain pkg-config
# through PKG_CONFIG_SYSROOT_DIR, make -j8, a graph named unlike its file, the
# generated files in another directory, an error in the graph, make clean; with
# CMake, spaces in every name, two graphs in one target, OPTIONS, MAIN or not,
# no-op and partial rebuilds under Makefiles and Ninja.  Last, `make uninstall`
# must leave no file behind, and again with nothing installed.
# Needs bin/agdfc and lib/libagdf.a (`make`), pkg-config and cmake.  ~30 s.
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
include/agdf_ring.h
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

# Installing again over the same tree replaces the files.
if make -s -C "$root" install DESTDIR="$destdir" PREFIX="$prefix" >"$T/reinstall.log" 2>&1 &&
   (cd "$staged" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) | cmp -s - "$T/files"; then
    pass reinstall-over-install
else
    fail reinstall-over-install "$T/reinstall.log"
fi

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
    # Ninja must find the outputs in agdfc's depfile (CMP0116), else it reruns
    # agdfc, the compile and the link on every build.
    (cd "$cm" && cmake --build build-ninja) >"$T/ninja.again.log" 2>&1
    grep -q 'no work to do' "$T/ninja.again.log" && pass cmake-ninja-up-to-date \
        || fail cmake-ninja-up-to-date "$T/ninja.again.log"
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

# ---------------------------------------------------------------- make, as a stranger
# A project of its own, not an example: the one-line include with plain
# pkg-config, which finds the staged tree through PKG_CONFIG_SYSROOT_DIR (the
# staged story of docs/build.md); a graph named differently from its file; a
# %header type used by two hand-written C files; a node calling a third; no
# --main.
hp=$T/stranger-make
mkdir -p "$hp"
cat >"$hp/temps.agdf" <<'AGDF'
graph weather;
%header{
typedef struct { int id; double c; } reading;
%}
%{
#include <stdio.h>
double to_fahrenheit(double c);     /* conv.c */
%}
node sensor() -> reading
state { int i; }
{
    for (self->i = 0; self->i < 3; self->i++) {
        reading r = { self->i, 10.0 * self->i };
        AGDF_YIELD(r);
    }
}
node convert(reading r) -> reading [max_tasks = 3] {
    r.c = to_fahrenheit(r.c);
    AGDF_YIELD(r);
}
node show(reading r) [max_tasks = 1] {
    printf("%d: %.1f\n", r.id, r.c);
}
sensor -> convert -> show;
AGDF
cat >"$hp/conv.c" <<'C'
double to_fahrenheit(double c);
double to_fahrenheit(double c) { return c * 9.0 / 5.0 + 32.0; }
C
cat >"$hp/main.c" <<'C'
#include <stdio.h>
#include "temps.h"
int first_id(void);
int main(void) {
    weather g;
    weather_init(&g);
    agdf_status st = weather_run(&g);
    printf("ok %d, id %d\n", st == AGDF_OK, first_id());
    return st != AGDF_OK;
}
C
cat >"$hp/id.c" <<'C'
#include "temps.h"
int first_id(void);
int first_id(void) { reading r = { 7, 0.0 }; return r.id; }
C
cat >"$hp/Makefile" <<'MAKE'
include $(shell pkg-config --variable=mkfile agdf)
CPPFLAGS += $(AGDF_CFLAGS)
LDLIBS += $(AGDF_LIBS)
prog: temps.o conv.o main.o id.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
temps.o: temps.c temps.h
main.o id.o: temps.h
clean:
	rm -f prog *.o temps.c temps.h *.agdf.d
MAKE
# hmake LOG ARGS...: make in $hp, agdf found through the sysroot only.
hmake() {
    local log=$1; shift
    (unset PKG_CONFIG; export PKG_CONFIG_SYSROOT_DIR="$destdir"
     make -C "$hp" --no-print-directory CFLAGS="$strict" "$@") >"$log" 2>&1
}
hmake "$T/h.log" -j8
[ "$(grep -c 'agdfc' "$T/h.log")" -eq 1 ] && grep -q "^$staged/bin/agdfc " "$T/h.log" \
    && pass sysroot-make-one-agdfc-run-under-j8 || fail sysroot-make-one-agdfc-run-under-j8 "$T/h.log"
"$hp/prog" >"$T/h.out" 2>&1
expect sysroot-make-output "$T/h.out" "0: 32.0
1: 50.0
2: 68.0
ok 1, id 7"
touch "$hp/conv.c"
hmake "$T/h.c.log" -j8
if [ "$(wc -l <"$T/h.c.log")" -eq 2 ] && sed -n 1p "$T/h.c.log" | grep -q ' -c -o conv\.o conv\.c$' &&
   sed -n 2p "$T/h.c.log" | grep -q ' -o prog '; then
    pass sysroot-make-touch-c-rebuilds-only-its-object
else
    fail sysroot-make-touch-c-rebuilds-only-its-object "$T/h.c.log"
fi
touch "$hp/temps.agdf"
hmake "$T/h.g.log" -j8
if [ "$(wc -l <"$T/h.g.log")" -eq 5 ] && [ "$(grep -c 'agdfc ' "$T/h.g.log")" -eq 1 ] &&
   [ "$(grep -c -E ' -c -o (temps|main|id)\.o ' "$T/h.g.log")" -eq 3 ]; then
    pass sysroot-make-touch-graph-rebuilds-its-users
else
    fail sysroot-make-touch-graph-rebuilds-its-users "$T/h.g.log"
fi
# An error in the graph: make stops with agdfc's diagnostic, the generated
# files stay as they were, and the next make tries again.
cp "$hp/temps.c" "$T/temps.c.before"
echo 'junk here' >>"$hp/temps.agdf"
hmake "$T/h.e.log" -j8; st=$?
hmake "$T/h.e2.log"
if [ "$st" -ne 0 ] && grep -q '^temps\.agdf:[0-9]*:[0-9]*: error: ' "$T/h.e.log" &&
   cmp -s "$hp/temps.c" "$T/temps.c.before" && grep -q 'agdfc ' "$T/h.e2.log"; then
    pass sysroot-make-graph-error-stops
else
    fail sysroot-make-graph-error-stops "$T/h.e.log"
fi
sed -i '$d' "$hp/temps.agdf"
hmake "$T/h.clean.log" clean
(cd "$hp" && ls) >"$T/h.ls"
expect sysroot-make-clean "$T/h.ls" "Makefile
conv.c
id.c
main.c
temps.agdf"

# The generated files in a directory of their own, from a graph in another,
# with the docs' AGDF_COMPILE rule; AGDF_DEPDIRS brings in its depfile.
gp=$T/stranger-gen
mkdir -p "$gp/src"
cp "$hp/temps.agdf" "$hp/conv.c" "$hp/main.c" "$hp/id.c" "$gp/src/"
cat >"$gp/Makefile" <<'MAKE'
PKG_CONFIG ?= pkg-config
AGDF_DEPDIRS = build
include $(or $(shell $(PKG_CONFIG) --print-errors --variable=mkfile agdf),$(error agdf.mk not found))
CPPFLAGS += $(AGDF_CFLAGS) -Ibuild
LDLIBS += $(AGDF_LIBS)
build/prog: build/temps.o build/conv.o build/main.o build/id.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/%.c build/%.h: src/%.agdf
	@mkdir -p build
	$(AGDF_COMPILE)
build/%.o: src/%.c
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
build/temps.o: build/temps.c build/temps.h
build/main.o build/id.o: build/temps.h
MAKE
make -C "$gp" -j8 CFLAGS="$strict" >"$T/g.log" 2>&1
"$gp/build/prog" >"$T/g.out" 2>&1
expect gendir-make-output "$T/g.out" "$(cat "$T/h.out")"
expect gendir-make-depfile "$gp/build/temps.agdf.d" "build/temps.c build/temps.h: src/temps.agdf"
printf 'build/temps.c build/temps.h: extra.txt\n' >>"$gp/build/temps.agdf.d"
touch "$gp/extra.txt"
make -C "$gp" CFLAGS="$strict" >"$T/g.dep.log" 2>&1
[ "$(grep -c 'agdfc .*src/temps\.agdf$' "$T/g.dep.log")" -eq 1 ] \
    && pass gendir-make-depdirs-included || fail gendir-make-depdirs-included "$T/g.dep.log"

# ---------------------------------------------------------------- cmake, as a stranger
# Spaces in the source, build and file names; two graphs in one target (no
# MAIN: a hand-written main includes both headers; OPTIONS), the first graph
# again in a second target with MAIN; a graph named differently from its file.
cs="$T/cmake project"
mkdir -p "$cs/my src"
sed 's/^graph weather;/graph first;/' "$hp/temps.agdf" >"$cs/my src/first graph.agdf"
cp "$hp/conv.c" "$cs/my src/"
cat >"$cs/my src/second.agdf" <<'AGDF'
graph second;
%header{
typedef struct { int v; } item;
%}
%{
#include <stdio.h>
%}
node gen() -> item
state { int i; }
{
    for (self->i = 0; self->i < 2; self->i++) {
        item it = { self->i };
        AGDF_YIELD(it);
    }
}
node out(item it) { printf("second %d\n", it.v); }
gen -> out;
AGDF
cat >"$cs/my src/main.c" <<'C'
#include <stdio.h>
#include "first graph.h"
#include "second.h"
int main(void) {
    first g1;
    second g2;
    first_init(&g1);
    second_init(&g2);
    int ok = first_run(&g1) == AGDF_OK && second_run(&g2) == AGDF_OK;
    printf("ok %d\n", ok);
    return !ok;
}
C
cat >"$cs/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(stranger LANGUAGES C)
find_package(agdf 0.1 CONFIG REQUIRED)
add_executable(two "my src/main.c" "my src/conv.c")
agdf_add_graph(two "my src/first graph.agdf" OPTIONS --no-line)
agdf_add_graph(two "my src/second.agdf")
add_executable(solo "my src/conv.c")
agdf_add_graph(solo "my src/first graph.agdf" MAIN OPTIONS --no-line)
CMAKE
# stranger GENERATOR-NAME GENERATOR: build, run, no-op, touch, error, per generator.
stranger() {
    local n=$1 b="$cs/build $1"; shift
    if (cmake -S "$cs" -B "$b" "$@" -DCMAKE_PREFIX_PATH="$staged" \
            -DCMAKE_C_FLAGS="-std=c99 -Wall -Wextra -Wpedantic -Werror" &&
        cmake --build "$b" -j8 && "$b/two" && "$b/solo") >"$T/cs.$n.log" 2>&1 &&
       [ "$(tail -n 1 "$T/cs.$n.log")" = "2: 68.0" ] && grep -q '^second 1$' "$T/cs.$n.log" && grep -q '^ok 1$' "$T/cs.$n.log"; then
        pass "cmake-$n-spaces-two-graphs-build"
    else
        fail "cmake-$n-spaces-two-graphs-build" "$T/cs.$n.log"
    fi
    cmake --build "$b" >"$T/cs.$n.again" 2>&1
    grep -q -E 'agdfc|Building|Linking' "$T/cs.$n.again" && fail "cmake-$n-spaces-up-to-date" "$T/cs.$n.again" \
        || pass "cmake-$n-spaces-up-to-date"
    touch "$cs/my src/second.agdf"
    cmake --build "$b" >"$T/cs.$n.re.log" 2>&1
    grep -o -E 'agdfc my src/[a-z ]*\.agdf|Building C object [^ ]*|Linking C executable [^ ]*' \
        "$T/cs.$n.re.log" | LC_ALL=C sort >"$T/cs.$n.re"
    expect "cmake-$n-touch-one-of-two-graphs" "$T/cs.$n.re" "Building C object CMakeFiles/two.dir/agdf/two/second.c.o
Building C object CMakeFiles/two.dir/my_src/main.c.o
Linking C executable two
agdfc my src/second.agdf"
    echo 'junk here' >>"$cs/my src/first graph.agdf"
    if cmake --build "$b" >"$T/cs.$n.err.log" 2>&1; then
        fail "cmake-$n-graph-error-stops" "$T/cs.$n.err.log"
    elif grep -q 'my src/first graph\.agdf:[0-9]*:[0-9]*: error: ' "$T/cs.$n.err.log"; then
        pass "cmake-$n-graph-error-stops"
    else
        fail "cmake-$n-graph-error-stops" "$T/cs.$n.err.log"
    fi
    sed -i '$d' "$cs/my src/first graph.agdf"
}
stranger make
command -v ninja >/dev/null 2>&1 && stranger ninja -G Ninja

# Two graphs of one target named alike (from two directories) would write the
# same NAME.c: refused at configure time, as is the same graph added twice.
mkdir -p "$T/cmdup/a" "$T/cmdup/b"
cp "$hp/temps.agdf" "$T/cmdup/a/"
sed 's/^graph weather;/graph other;/' "$hp/temps.agdf" >"$T/cmdup/b/temps.agdf"
printf 'int to_f;\n' >"$T/cmdup/x.c"
for dup in b a; do
    cat >"$T/cmdup/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(dup LANGUAGES C)
find_package(agdf 0.1 CONFIG REQUIRED)
add_executable(t x.c)
agdf_add_graph(t a/temps.agdf MAIN)
agdf_add_graph(t $dup/temps.agdf)
CMAKE
    rm -rf "$T/cmdup/build"
    cmake -S "$T/cmdup" -B "$T/cmdup/build" -DCMAKE_PREFIX_PATH="$staged" >"$T/cmdup.$dup.log" 2>&1
done
tr -s ' \n' ' ' <"$T/cmdup.b.log" | grep -q "agdf_add_graph: target 't' already has the graph '[^']*/a/temps.agdf'; '[^']*/b/temps.agdf' would write the same temps.c" \
    && pass cmake-same-name-graphs-refused || fail cmake-same-name-graphs-refused "$T/cmdup.b.log"
tr -s ' \n' ' ' <"$T/cmdup.a.log" | grep -q "agdf_add_graph: '[^']*/a/temps.agdf' is already a graph of target 't'" \
    && pass cmake-graph-added-twice-refused || fail cmake-graph-added-twice-refused "$T/cmdup.a.log"
# A graph added from another directory than its target's would be a source
# nothing makes (CMake's "Cannot find source file"): refused, saying where.
mkdir -p "$T/cmdir/sub"
cp "$hp/temps.agdf" "$T/cmdir/sub/"
cp "$T/cmdup/x.c" "$T/cmdir/"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(d LANGUAGES C)\nfind_package(agdf 0.1 CONFIG REQUIRED)\nadd_executable(t x.c)\nadd_subdirectory(sub)\n' \
    >"$T/cmdir/CMakeLists.txt"
echo 'agdf_add_graph(t temps.agdf MAIN)' >"$T/cmdir/sub/CMakeLists.txt"
cmake -S "$T/cmdir" -B "$T/cmdir/build" -DCMAKE_PREFIX_PATH="$staged" >"$T/cmdir.log" 2>&1
tr -s ' \n' ' ' <"$T/cmdir.log" | grep -q "agdf_add_graph: target 't' was made in [^ ]*/cmdir; call agdf_add_graph for it there" \
    && pass cmake-other-directory-refused || fail cmake-other-directory-refused "$T/cmdir.log"

# ---------------------------------------------------------------- uninstall
if make -s -C "$root" uninstall DESTDIR="$destdir" PREFIX="$prefix" >"$T/uninstall.log" 2>&1; then
    pass make-uninstall
else
    fail make-uninstall "$T/uninstall.log"
fi
find "$destdir" -type f >"$T/left"
expect uninstall-leaves-no-file "$T/left" ""
# agdf's own directories, and lib/cmake, lib/pkgconfig and share/man/man1
# left empty; not bin.
(cd "$staged" && find . -type d | LC_ALL=C sort) >"$T/dirs"
want=$(printf '.\n./bin\n./include\n./lib\n./share')
[ -f docs/agdfc.1 ] && want=$(printf '%s\n./share/man' "$want")
expect uninstall-removes-own-directories "$T/dirs" "$want"
if make -s -C "$root" uninstall DESTDIR="$destdir" PREFIX="$prefix" >"$T/uninstall2.log" 2>&1 &&
   [ ! -s "$T/uninstall2.log" ]; then
    pass uninstall-when-nothing-installed
else
    fail uninstall-when-nothing-installed "$T/uninstall2.log"
fi
