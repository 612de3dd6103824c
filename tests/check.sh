# tests/check.sh — sourced by the suites whose checks collect their problems in
# a file: `check NAME FILE` prints "PASS SUITE/NAME" when FILE is empty, else
# "FAIL SUITE/NAME" and FILE's first 20 lines indented.  Set SUITE first.
check() {
    if [ -s "$2" ]; then
        echo "FAIL $SUITE/$1"
        sed 's/^/    /' "$2" | head -20
    else
        echo "PASS $SUITE/$1"
    fi
}
