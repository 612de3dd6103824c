# tests/check.sh — sourced by the suites whose checks collect their problems in
# a file: `check NAME FILE` prints "PASS SUITE/NAME" when FILE is empty, else
# "FAIL SUITE/NAME" and FILE's first 20 lines indented; `agdfc_main OUT IN`
# is the compile most of them start with.  Set SUITE first.
check() {
    if [ -s "$2" ]; then
        echo "FAIL $SUITE/$1"
        sed 's/^/    /' "$2" | head -20
    else
        echo "PASS $SUITE/$1"
    fi
}

# agdfc_main OUT.c IN.agdf: compiles IN with --main into OUT; on failure
# prints "FAIL SUITE/agdfc" with agdfc's messages and returns 1 (the suite
# then has nothing to check).  Needs $tmp.
agdfc_main() {
    bin/agdfc --main -o "$1" "$2" 2>"$tmp/err" && return 0
    check agdfc "$tmp/err"
    return 1
}
