#!/usr/bin/env bash
# tests/bodies/run.sh — the body analyses of compiler/body.c raise no false
# alarm on correct programs: every .agdf of examples/ and tests/ (except the
# diagnostics goldens, which exist to trigger them), 200 graphs of
# tests/model/gen.py (seeds 1-200, both shapes), and every ```c block of
# README.md and docs/*.md that declares a node, are compiled with --emit=json;
# none may draw a body diagnostic (a return, a suspension inside a switch, a
# local or a changed parameter read after a suspension, a nesting limit) but the one
# tests/inplace/params.agdf is meant to draw.  One line per group:
# "PASS bodies/GROUP" or "FAIL bodies/GROUP" with the offending messages.
# Uses bin/agdfc-san when it exists (the analyses must not crash or leak).
# Budget: about 5 s on one core.
set -u
cd "$(dirname "$0")/../.."
agdfc=bin/agdfc-san
[ -x "$agdfc" ] || agdfc=bin/agdfc
tmp=$(mktemp -d)
trap "rm -rf $tmp" EXIT
# The messages body.c reports (docs/diagnostics.md, "Node bodies").
pattern="is read after|inside a switch statement|node body may only return|'return;' in a node body|nested more than"

check_group() {             # $1: group name; $2...: .agdf files
    local name=$1 bad=""
    shift
    for f in "$@"; do
        out=$("$agdfc" --emit=json -o /dev/null "$f" 2>&1)
        rc=$?
        if [ $rc -gt 1 ] || printf '%s\n' "$out" | grep -Eq "$pattern"; then
            bad="$bad$f (exit $rc):
$(printf '%s\n' "$out" | grep -E -A3 "$pattern|AddressSanitizer|runtime error" | head -n 12)
"
        fi
    done
    if [ $# -eq 0 ]; then
        echo "FAIL bodies/$name"
        echo "    no file to check"
    elif [ -z "$bad" ]; then
        echo "PASS bodies/$name"
    else
        echo "FAIL bodies/$name"
        printf '%s' "$bad" | head -n 40 | sed 's/^/    /'
    fi
}

check_group examples examples/*/*.agdf
# tests/fuzz/ holds hostile inputs on purpose, like the diagnostics goldens;
# tests/inplace/params.agdf loses a parameter's change on purpose (below).
check_group tests $(find tests -name '*.agdf' ! -path 'tests/diagnostics/*' ! -path 'tests/fuzz/*' \
                    ! -path 'tests/inplace/params.agdf' | sort)

# The change that tests/inplace/run.sh sees lost at run time draws the
# warning, at that read, and params.agdf draws no other body diagnostic.
lost=$("$agdfc" --emit=json -o /dev/null tests/inplace/params.agdf 2>&1 | grep -E "$pattern")
if [ "$lost" = "tests/inplace/params.agdf:45:27: warning: parameter 'v' is read after AGDF_PASS (line 44), where its change (line 43) is lost: v is copied from the item at every resume (see docs/language.md §8); keep the changed value in a state field" ]; then
    echo "PASS bodies/inplace_lost"
else
    echo "FAIL bodies/inplace_lost"
    printf '%s\n' "${lost:-no warning}" | sed 's/^/    /'
fi

# Model graphs: one Python process writes them all.
python3 - "$tmp" <<'PY'
import os, random, sys
sys.path.insert(0, "tests/model")
import gen
for seed in range(1, 201):
    rng = random.Random(seed)
    big = seed % 2 == 0
    nodes, edges = gen.make_graph(rng, 4, 12 if big else 8, 4 if big else 3)
    with open(os.path.join(sys.argv[1], "model_%03d.agdf" % seed), "w") as f:
        f.write(gen.render(nodes, edges))
PY
check_group model "$tmp"/model_*.agdf

# Documentation: each ```c block that declares a node, as its own file.
python3 - "$tmp" README.md docs/*.md <<'PY'
import os, re, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    text = open(path).read()
    for k, block in enumerate(re.findall(r"```c\n(.*?)```", text, re.S)):
        if re.search(r"^\s*node\s+\w+\s*\(", block, re.M):
            name = "doc_%s_%02d.agdf" % (os.path.basename(path)[:-3], k)
            with open(os.path.join(out, name), "w") as f:
                f.write(block)
PY
check_group docs "$tmp"/doc_*.agdf
