#!/usr/bin/env bash
# tests/cli/run.sh — the agdfc command line: options, exit statuses (0 ok,
# 1 input errors, 2 usage/I-O errors), standard input, default output names,
# the header written beside -o FILE.c, and outputs left untouched on errors.
# Uses bin/agdfc-san (ASan/UBSan) when it exists.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
agdfc=$root/bin/agdfc-san
[ -x "$agdfc" ] || agdfc=$root/bin/agdfc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
good=$root/tests/emit/etl.agdf

check() {                   # check NAME EXPECTED-STATUS COMMAND...
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq "$want" ]; then echo "PASS cli/$name"
    else
        echo "FAIL cli/$name"
        echo "    exit status $rc, expected $want"
        head -5 "$tmp/err" | sed 's/^/    /'
    fi
}

check help 0 "$agdfc" --help
grep -q '^usage: agdfc' "$tmp/out" && echo "PASS cli/help-text" || echo "FAIL cli/help-text"
check version 0 "$agdfc" --version
grep -q '^agdfc [0-9]' "$tmp/out" && echo "PASS cli/version-text" || echo "FAIL cli/version-text"
check no-input 2 "$agdfc"
check unknown-option 2 "$agdfc" --frobnicate "$good"
check unknown-emit 2 "$agdfc" --emit=pdf "$good"
check two-inputs 2 "$agdfc" "$good" "$good"
check missing-file 2 "$agdfc" "$tmp/nope.agdf"
grep -q "cannot open" "$tmp/err" && echo "PASS cli/missing-file-message" || echo "FAIL cli/missing-file-message"
check input-error 1 "$agdfc" --emit=json "$root/tests/diagnostics/cycle.agdf"
check stdin 0 sh -c "\"$agdfc\" --emit=dot - <\"$good\""
grep -q '^digraph "etl"' "$tmp/out" && echo "PASS cli/stdin-output" || echo "FAIL cli/stdin-output"
printf 'node a() [max_tasks = 0];\n' >"$tmp/bad.agdf"
check stdin-error-path 1 sh -c "\"$agdfc\" --emit=json - <\"$tmp/bad.agdf\""
grep -q '^<stdin>:1:23: error' "$tmp/err" && echo "PASS cli/stdin-error-path-text" \
    || echo "FAIL cli/stdin-error-path-text"
check write-unwritable 2 "$agdfc" --emit=json -o "$tmp/no/such/dir/x.json" "$good"

# --emit=c: NAME.c and NAME.h in the current directory; -o X.c adds X.h.
mkdir -p "$tmp/c1" "$tmp/c2"
check emit-c-default 0 sh -c "cd \"$tmp/c1\" && \"$agdfc\" \"$good\""
[ -f "$tmp/c1/etl.c" ] && [ -f "$tmp/c1/etl.h" ] && echo "PASS cli/emit-c-default-files" \
    || echo "FAIL cli/emit-c-default-files"
check emit-c-o 0 "$agdfc" -o "$tmp/c2/out.c" "$good"
[ -f "$tmp/c2/out.c" ] && [ -f "$tmp/c2/out.h" ] && echo "PASS cli/emit-c-o-files" \
    || echo "FAIL cli/emit-c-o-files"
grep -q 'out\.h' "$tmp/c2/out.c" && echo "PASS cli/emit-c-includes-header" \
    || echo "FAIL cli/emit-c-includes-header"
[ "$(ls "$tmp/c2" | wc -l)" -eq 2 ] && echo "PASS cli/no-temporary-left" \
    || echo "FAIL cli/no-temporary-left"
printf 'old\n' >"$tmp/c2/out.c"
check emit-c-error 1 "$agdfc" -o "$tmp/c2/out.c" "$tmp/bad.agdf"
[ "$(cat "$tmp/c2/out.c")" = old ] && echo "PASS cli/emit-c-error-keeps-file" \
    || echo "FAIL cli/emit-c-error-keeps-file"

# -MD / -MF / -MT: a make rule "OUTPUTS: INPUT", written only on success.
expect_file() {             # expect_file NAME FILE CONTENT
    if [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]; then echo "PASS cli/$1"
    else
        echo "FAIL cli/$1"
        { echo "want: $3"; [ -f "$2" ] && echo "got:  $(cat "$2")" || echo "no file $2"; } \
            | sed 's/^/    /'
    fi
}
mkdir -p "$tmp/d1" "$tmp/d2" "$tmp/d3"
cp "$good" "$tmp/d1/etl.agdf"
check md-default 0 sh -c "cd \"$tmp/d1\" && \"$agdfc\" -MD etl.agdf"
expect_file md-default-rule "$tmp/d1/etl.d" "etl.c etl.h: etl.agdf"
check md-o 0 "$agdfc" -MD -o "$tmp/d2/out.c" "$good"
expect_file md-o-rule "$tmp/d2/out.d" "$tmp/d2/out.c $tmp/d2/out.h: $good"
check mf 0 "$agdfc" -o "$tmp/d2/mf.c" -MF "$tmp/d2/deps.mk" "$good"
expect_file mf-rule "$tmp/d2/deps.mk" "$tmp/d2/mf.c $tmp/d2/mf.h: $good"
check mf-joined 0 "$agdfc" -o "$tmp/d2/mf.c" "-MF$tmp/d2/joined.mk" "$good"
expect_file mf-joined-rule "$tmp/d2/joined.mk" "$tmp/d2/mf.c $tmp/d2/mf.h: $good"
check mt 0 "$agdfc" -o "$tmp/d2/mt.c" -MT 'a.c' -MTb.h "$good"
expect_file mt-rule "$tmp/d2/mt.d" "a.c b.h: $good"
check md-emit-h 0 "$agdfc" --emit=h -MD -o "$tmp/d2/only.h" "$good"
expect_file md-emit-h-rule "$tmp/d2/only.d" "$tmp/d2/only.h: $good"
check md-dot-stdout-mt 0 sh -c "cd \"$tmp/d1\" && \"$agdfc\" --emit=dot -MD -MT g.svg etl.agdf"
expect_file md-dot-stdout-mt-rule "$tmp/d1/etl.d" "g.svg: etl.agdf"
[ "$(ls "$tmp/d2" | grep -c tmp)" -eq 0 ] && echo "PASS cli/md-no-temporary-left" \
    || echo "FAIL cli/md-no-temporary-left"
# Names make would misread: a space, '$' and '#' are escaped as gcc -MD does,
# and make reads the rule back with the right names.
cp "$good" "$tmp/d3/my etl\$#.agdf"
check md-quoting 0 sh -c "cd \"$tmp/d3\" && \"$agdfc\" -MD 'my etl\$#.agdf'"
expect_file md-quoting-rule "$tmp/d3/my etl\$#.d" 'my\ etl$$\#.c my\ etl$$\#.h: my\ etl$$\#.agdf'
cat >"$tmp/d3/Makefile" <<'MK'
include my\ etl$$\#.d
my\ etl$$\#.h:
	@echo 'h from $^'
MK
check md-quoting-make 0 make -s -B -C "$tmp/d3" 'my etl$#.h'
grep -q 'h from my etl\$#\.agdf' "$tmp/out" && echo "PASS cli/md-quoting-make-names" \
    || echo "FAIL cli/md-quoting-make-names"
# On an input error the old dependency file is kept, as the outputs are.
printf 'old\n' >"$tmp/d2/bad.d"
check md-error 1 "$agdfc" -MD -o "$tmp/d2/bad.c" "$tmp/bad.agdf"
expect_file md-error-keeps-file "$tmp/d2/bad.d" old
check md-stdin 2 sh -c "\"$agdfc\" -MD -o \"$tmp/d2/s.c\" - <\"$good\""
check md-stdout-needs-mt 2 "$agdfc" --emit=dot -MD "$good"
grep -q 'name the rule.s target with -MT' "$tmp/err" && echo "PASS cli/md-stdout-needs-mt-message" \
    || echo "FAIL cli/md-stdout-needs-mt-message"
check md-overwrites-output 2 "$agdfc" --emit=json -MD -o "$tmp/d2/x.d" "$good"
[ ! -e "$tmp/d2/x.d" ] && echo "PASS cli/md-overwrites-output-nothing-written" \
    || echo "FAIL cli/md-overwrites-output-nothing-written"
check mf-missing 2 "$agdfc" "$good" -MF
check mt-missing 2 "$agdfc" "$good" -MT
check mf-unwritable 2 "$agdfc" -o "$tmp/d2/u.c" -MF "$tmp/no/such/dir/u.d" "$good"
# A dependency file that cannot be written stops the run before any output
# is: else make would see fresh outputs and never rerun agdfc.
[ ! -e "$tmp/d2/u.c" ] && [ ! -e "$tmp/d2/u.h" ] && echo "PASS cli/mf-unwritable-writes-no-output" \
    || echo "FAIL cli/mf-unwritable-writes-no-output"
check mf-directory 2 "$agdfc" -o "$tmp/d2/v.c" -MF "$tmp/d2" "$good"
[ ! -e "$tmp/d2/v.c" ] && grep -q "cannot write '$tmp/d2': Is a directory" "$tmp/err" \
    && echo "PASS cli/mf-directory-writes-no-output" || echo "FAIL cli/mf-directory-writes-no-output"
# An input error leaves no temporary dependency file behind.
check md-error-no-temp 1 "$agdfc" -MD -o "$tmp/d2/bad2.c" "$tmp/bad.agdf"
ls "$tmp/d2" | grep -q 'tmp\.' && echo "FAIL cli/md-error-leaves-no-temp" \
    || echo "PASS cli/md-error-leaves-no-temp"

# The man page (docs/agdfc.1) and --help list the same options; it renders
# without warnings (groff, from groff-base) and names the current version.
man=$root/docs/agdfc.1
"$agdfc" --help >"$tmp/help" 2>&1
if command -v python3 >/dev/null 2>&1; then
    python3 - "$tmp/help" "$man" >"$tmp/optdiff" 2>&1 <<'PY'
import re, sys
opt = re.compile(r'(?<![\w-])--?[A-Za-z][A-Za-z-]*')
help_opts = set()
for line in open(sys.argv[1]):
    if line.startswith('  -'):                       # the option column
        help_opts.update(opt.findall(re.split(r'\s{2,}', line.strip())[0]))
man_opts, section, tag = set(), '', False
for line in open(sys.argv[2]):
    if line.startswith('.SH'):
        section = line[3:].strip()
    elif section == 'OPTIONS' and line.startswith('.TP'):
        tag = True
    elif tag:
        text = re.sub(r'\\f.', '', line.replace('\\-', '-'))
        man_opts.update(opt.findall(text))
        tag = False
for o in sorted(help_opts - man_opts): print('in --help, not in the man page:', o)
for o in sorted(man_opts - help_opts): print('in the man page, not in --help:', o)
if len(help_opts) < 10: print('too few options found in --help:', sorted(help_opts))
PY
    if [ ! -s "$tmp/optdiff" ]; then echo "PASS cli/man-options-match-help"
    else echo "FAIL cli/man-options-match-help"; sed 's/^/    /' "$tmp/optdiff"; fi
else
    echo "FAIL cli/man-options-match-help"
    echo "    python3 is needed"
fi
if command -v groff >/dev/null 2>&1 \
   && groff -man -Tutf8 -ww -z "$man" >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ] \
   && groff -man -Tutf8 -P-cbou "$man" 2>/dev/null | grep -q 'EXIT STATUS'; then
    echo "PASS cli/man-renders"
else
    echo "FAIL cli/man-renders"
    sed 's/^/    /' "$tmp/groff" 2>/dev/null | head -10
fi
version=$("$agdfc" --version | sed -n 's/^agdfc //p')
grep -q "^\.TH AGDFC 1 .* \"agdf $version\"" "$man" && echo "PASS cli/man-version" \
    || echo "FAIL cli/man-version"
# The man page names every flag of the main() that --main generates.
"$agdfc" --main -o "$tmp/m.c" "$good" 2>/dev/null
missing=
for flag in $(grep -o '"--[a-z-]*' "$tmp/m.c" | tr -d '"' | sort -u); do
    grep -Eq "^\.B[IR]? ${flag//-/\\\\-}([= ]|\$)" "$man" || missing="$missing $flag"
done
if [ -z "$missing" ] && grep -q '"--stats' "$tmp/m.c"; then echo "PASS cli/man-main-flags"
else
    echo "FAIL cli/man-main-flags"
    echo "    not in docs/agdfc.1:$missing"
fi
