#!/usr/bin/env python3
# scripts/brace_style.py — moves the opening brace of every function
# definition of a C file up onto the line that ends its declarator, the
# compiler's one brace style (`static bool f(void) {`, docs/testing.md,
# "Code layout").  A brace alone at column 0 under a line ending in `)` is a
# function's: the two lines become one, a comment after the brace kept.  Any
# other brace at column 0 (an initializer, a brace under a comment) is not
# guessed at: the script names its line and changes no file.  Run by hand,
# once per file to convert; not part of the build.  tests/layout/run.sh uses
# own_line_braces() to keep the style and checks convert() on a real file.
#
# usage: brace_style.py [--check] FILE...
#   rewrites each FILE in place; --check only lists the braces to move and
#   exits 1 when there is any.  Exit status 2: a brace it cannot move.
import re
import sys

HEADER = re.compile(r"^[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\s*\(")


def function_name(lines, i):
    """The name of the function whose header ends just above line i (0-based),
    or None: the nearest line above that starts a declaration at column 0."""
    for k in range(i - 1, max(i - 12, -1), -1):
        m = HEADER.match(lines[k])
        if m:
            return m.group(1)
        if not lines[k][:1].isspace():
            return None
    return None


def own_line_braces(lines):
    """(line number, function name or None, movable) of every line opening with
    `{` at column 0.  movable: the line above ends a declarator (with `)`)."""
    found = []
    for i, line in enumerate(lines):
        if not line.startswith("{"):
            continue
        above = lines[i - 1].rstrip() if i > 0 else ""
        movable = above.endswith(")") and not above.lstrip().startswith(("/*", "*", "//"))
        found.append((i + 1, function_name(lines, i), movable))
    return found


def convert(text):
    """text with every movable own-line brace moved up; raises ValueError
    naming the first line it cannot convert."""
    lines = text.split("\n")
    braces = own_line_braces(lines)
    for lineno, _, movable in braces:
        if not movable:
            raise ValueError("line %d: a brace at column 0 that does not open a "
                             "function definition" % lineno)
    for lineno, _, _ in reversed(braces):
        i = lineno - 1
        rest = lines[i][1:].rstrip()            # a trailing comment, if any
        lines[i - 1] = lines[i - 1].rstrip() + " {" + rest
        del lines[i]
    return "\n".join(lines)


def main(argv):
    check = len(argv) > 1 and argv[1] == "--check"
    files = argv[2:] if check else argv[1:]
    if not files:
        print("usage: brace_style.py [--check] FILE...", file=sys.stderr)
        return 2
    status = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if check:
            for lineno, name, _ in own_line_braces(text.split("\n")):
                print("%s:%d: %s opens its brace on its own line" % (path, lineno, name or "?"))
                status = 1
            continue
        try:
            new = convert(text)
        except ValueError as e:
            print("%s:%s" % (path, e), file=sys.stderr)
            return 2
        if new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
