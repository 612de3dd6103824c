#!/usr/bin/env bash
# tests/docs/run.sh — the documentation, tried as a new user would: replays
# docs/tutorial.md step by step (install into a temporary HOME from this
# checkout, then every file written, every command run, every shown output
# compared) and README.md's minimal example (run in a directory that sees the
# checkout's bin/, lib/ and runtime/), compiles every complete graph of
# README.md and docs/language.md, and builds and runs the program the files
# of docs/language.md make; also checks docs/runtime.md's sizes (on x86-64)
# and the message length against sizeof and AGDF_ERROR_MSG, that the man
# page's example graph compiles and runs, and that docs/cli.md's Mermaid
# picture is agdfc's output.  The conventions that say what each block is
# are at the top of tests/docs/replay.py.  Budget: under 60 s (12-15 s here,
# most of it the tutorial's install, builds and its two real-time seconds).
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

# docs/runtime.md's table of sizes (x86-64) and the message length it and
# docs/language.md give, against sizeof and AGDF_ERROR_MSG.
if [ "$(uname -m)" = x86_64 ]; then
    python3 - "$tmp/sizes.c" <<'PY'
import re, sys
rows = re.findall(r'^\| `sizeof\((\w+)\)`[^|]*\| (\d+)', open('docs/runtime.md').read(), re.M)
msg = re.search(r'`AGDF_ERROR_MSG` = (\d+) bytes', open('docs/runtime.md').read())
raise_ = re.search(r'truncated to (\d+) bytes: `AGDF_ERROR_MSG` − 1', open('docs/language.md').read())
with open(sys.argv[1], 'w') as f:
    f.write('#include <stdio.h>\n#include "agdf.h"\nint main(void) {\n    int bad = 0;\n')
    checks = [('sizeof(%s)' % t, n) for t, n in rows]
    checks += [('AGDF_ERROR_MSG', msg.group(1) if msg else '-1'),
               ('AGDF_ERROR_MSG - 1', raise_.group(1) if raise_ else '-1')]
    for expr, n in checks:
        f.write('    if ((long)(%s) != %s) { printf("%s is %%ld, the docs say %s\\n", (long)(%s)); bad = 1; }\n'
                % (expr, n, expr, n, expr))
    f.write('    printf("%d figures\\n", ' + str(len(checks)) + ');\n    return bad;\n}\n')
PY
    if cc -std=c99 -I"$root/runtime" "$tmp/sizes.c" -o "$tmp/sizes" 2>"$tmp/sizes.err" \
       && "$tmp/sizes" >"$tmp/sizes.out" && grep -q '^8 figures$' "$tmp/sizes.out"; then
        echo "PASS docs/runtime.md sizes"
    else
        echo "FAIL docs/runtime.md sizes"
        cat "$tmp/sizes.err" "$tmp/sizes.out" 2>/dev/null | sed 's/^/    /'
    fi
fi

# The man page's example graph, as groff renders it, compiles and runs.
mkdir -p "$tmp/man"
if groff -man -Tutf8 -P-cbou docs/agdfc.1 2>/dev/null \
        | sed -n '/^ *graph hello;/,/^ *numbers -> square -> print;/p' | sed 's/^ \{14\}//' \
        >"$tmp/man/hello.agdf" \
   && [ -s "$tmp/man/hello.agdf" ] \
   && (cd "$tmp/man" && "$root/bin/agdfc" --main hello.agdf -o hello.c \
       && cc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$root/runtime" hello.c \
            "$root/lib/libagdf.a" -lpthread -o hello \
       && [ "$(./hello | tr '\n' ' ')" = "1 4 9 " ]) >"$tmp/man/log" 2>&1; then
    echo "PASS docs/agdfc.1 example"
else
    echo "FAIL docs/agdfc.1 example"
    cat "$tmp/man/hello.agdf" "$tmp/man/log" 2>/dev/null | sed 's/^/    /' | head -30
fi

# docs/cli.md's Mermaid picture is what agdfc draws today.
sed -n '/^```mermaid$/,/^```$/p' docs/cli.md | sed '1d;$d' >"$tmp/cli.mmd"
if "$root/bin/agdfc" --emit=mermaid examples/branching/branching.agdf | cmp -s - "$tmp/cli.mmd"; then
    echo "PASS docs/cli.md mermaid picture"
else
    echo "FAIL docs/cli.md mermaid picture"
    "$root/bin/agdfc" --emit=mermaid examples/branching/branching.agdf | diff "$tmp/cli.mmd" - \
        | sed 's/^/    /' | head -20
fi
