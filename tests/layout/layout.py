#!/usr/bin/env python3
# tests/layout/layout.py — the compiler's source layout, checked from its
# objects and its text (docs/testing.md, "Code layout"): the modules call each
# other without a cycle (the call graph comes from `nm`: which object defines
# and which uses each global symbol), every function of a module carries the
# module's prefix (global ones from `nm`, static ones from the source), and
# every function opens its brace on the line of its declarator.  MODULES
# below is the table of modules and prefixes that compiler/agdfc.h states.
# Prints one line per check, "PASS layout/NAME" or "FAIL layout/NAME" with
# details indented.  Run by tests/layout/run.sh after `make`.
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.dont_write_bytecode = True      # no scripts/__pycache__ left in the tree
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import brace_style  # noqa: E402  (scripts/ is not a package)

# source -> (object, prefixes of its functions).  A prefix without a
# trailing '_' is a whole name (main.c's `main`).
MODULES = {
    "grammar/lexer.re":      ("build/grammar/lexer.o", ["lex_"]),
    "grammar/parser.y":      ("build/grammar/parser.o", ["parse_"]),
    "compiler/parse.c":      ("build/compiler/parse.o", ["parse_"]),
    "compiler/check.c":      ("build/compiler/check.o", ["check_"]),
    "compiler/body.c":       ("build/compiler/body.o", ["body_"]),
    "compiler/names.c":      ("build/compiler/names.o", ["names_"]),
    "compiler/pos.c":        ("build/compiler/pos.o", ["pos_"]),
    "compiler/diag.c":       ("build/compiler/diag.o", ["diag_"]),
    "compiler/util.c":       ("build/compiler/util.o", ["util_", "arena_", "vec_", "strmap_"]),
    "compiler/emit_c.c":     ("build/compiler/emit_c.o", ["emit_", "cw_"]),
    "compiler/emit_graph.c": ("build/compiler/emit_graph.o", ["emit_"]),
    "compiler/emit_mt.c":    ("build/compiler/emit_mt.o", ["emit_"]),
    "compiler/main.c":       ("build/compiler/main.o", ["main_", "main"]),
}

# Files excepted from the brace and static-prefix checks (none now).  A check
# fails once an exception is no longer needed, so that it does not outlive
# its reason.
BRACE_EXCEPTIONS = set()
STATIC_PREFIX_EXCEPTIONS = set()


def report(name, problems):
    if not problems:
        print("PASS layout/" + name)
        return
    print("FAIL layout/" + name)
    for p in problems:
        print("    " + p)


def read_lines(src):
    with open(os.path.join(ROOT, src), encoding="utf-8") as f:
        return f.read().split("\n")


def has_prefix(name, prefixes):
    return any(name.startswith(p) if p.endswith("_") else name == p for p in prefixes)


def check_listed():
    """Every compiler source has a row in MODULES, every row a source."""
    sources = {"compiler/" + f for f in os.listdir(os.path.join(ROOT, "compiler"))
               if f.endswith(".c")} | {"grammar/lexer.re", "grammar/parser.y"}
    problems = ["%s: no row in MODULES of tests/layout/layout.py (its object and prefix)" % s
                for s in sorted(sources - MODULES.keys())]
    problems += ["%s: in MODULES but not in the tree" % s for s in sorted(MODULES.keys() - sources)]
    report("modules-listed", problems)
    return not problems


def check_objects():
    """Every object exists and is newer than its source: the other checks
    read the objects."""
    problems = []
    for src, (obj, _) in sorted(MODULES.items()):
        o = os.path.join(ROOT, obj)
        if not os.path.exists(o):
            problems.append("%s: missing (run make first)" % obj)
        elif os.path.getmtime(o) < os.path.getmtime(os.path.join(ROOT, src)):
            problems.append("%s: older than %s (run make first)" % (obj, src))
    report("objects-fresh", problems)
    return not problems


def symbols(obj):
    """(defined, used): the global symbols obj defines and those it uses."""
    out = subprocess.run(["nm", "-P", "-g", os.path.join(ROOT, obj)], check=True,
                         capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        (used if f[1] == "U" else defined).add(f[0])
    return defined, used


def find_cycle(graph):
    """One cycle of the module graph as a list of modules (first == last),
    or None.  Iterative depth-first search: white/grey/black colouring."""
    colour = {m: 0 for m in graph}
    for root in sorted(graph):
        if colour[root]:
            continue
        stack = [(root, iter(sorted(graph[root])))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
            elif colour[nxt] == 1:
                path = [n for n, _ in stack]
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(graph[nxt]))))
    return None


def check_modules():
    syms = {src: symbols(obj) for src, (obj, _) in MODULES.items()}
    owner = {}
    for src, (defined, _) in syms.items():
        for s in defined:
            owner[s] = src
    calls = {src: {} for src in MODULES}            # user -> {definer: [symbols]}
    for src, (_, used) in syms.items():
        for s in sorted(used):
            if s in owner and owner[s] != src:
                calls[src].setdefault(owner[s], []).append(s)
    cycle = find_cycle({m: set(d) for m, d in calls.items()})
    problems = []
    if cycle:
        problems.append("cycle: " + " -> ".join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            problems.append("  %s uses %s: %s" % (a, b, ", ".join(calls[a][b])))
    report("no-cycles", problems)

    problems = []
    for src, (defined, _) in sorted(syms.items()):
        prefixes = MODULES[src][1]
        for s in sorted(defined):
            if not has_prefix(s, prefixes):
                problems.append("%s: global '%s' lacks the module's prefix (%s)"
                                % (MODULES[src][0], s, " ".join(prefixes)))
    report("global-prefix", problems)


def definitions(lines):
    """(line number, name, static) of every function definition: a
    declaration at column 0 whose header holds a '{' or is followed by one
    at column 0; a ';' first makes it a prototype."""
    found = []
    for i, line in enumerate(lines):
        m = brace_style.HEADER.match(line)
        if not m:
            continue
        for j in range(i, min(i + 12, len(lines))):
            text = lines[j].rstrip()
            nxt = lines[j + 1] if j + 1 < len(lines) else ""
            if "{" in text or (text.endswith(")") and nxt.startswith("{")):
                found.append((i + 1, m.group(1), line.split()[0] == "static"))
                break
            if ";" in text or (j > i and not lines[j][:1].isspace()):
                break
    return found


def check_statics():
    problems, stale = [], []
    for src, (_, prefixes) in sorted(MODULES.items()):
        bad = ["%s:%d: static function '%s' lacks the module's prefix (%s)"
               % (src, n, name, " ".join(prefixes))
               for n, name, static in definitions(read_lines(src))
               if static and not has_prefix(name, prefixes)]
        if src in STATIC_PREFIX_EXCEPTIONS:
            if not bad:
                stale.append("%s follows the rule now: remove it from STATIC_PREFIX_EXCEPTIONS" % src)
        else:
            problems += bad
    report("static-prefix", problems + stale)


def check_braces():
    problems = []
    for src in sorted(MODULES):
        found = brace_style.own_line_braces(read_lines(src))
        if src in BRACE_EXCEPTIONS:
            if not found:
                problems.append("%s has one brace style now: remove it from BRACE_EXCEPTIONS" % src)
            continue
        problems += ["%s:%d: '%s' opens its brace on its own line (convert with "
                     "scripts/brace_style.py)" % (src, n, name or "?") for n, name, _ in found]
    report("brace-style", problems)


def squeeze(text):
    return re.sub(r"\s+", "", text)


def check_brace_script():
    """scripts/brace_style.py on the file with the most own-line braces and
    on a small case: only whitespace moves, no brace is left on its own
    line, a second run changes nothing, a brace it cannot place is refused."""
    problems = []
    src = max(sorted(MODULES), key=lambda s: len(brace_style.own_line_braces(read_lines(s))))
    text = "\n".join(read_lines(src))
    sample = ("static int f(int a,\n           int b)\n{   /* why */\n    return a + b;\n}\n"
              "int g(void)\n{\n    return 0;\n}\n")
    want = ("static int f(int a,\n           int b) {   /* why */\n    return a + b;\n}\n"
            "int g(void) {\n    return 0;\n}\n")
    if brace_style.convert(sample) != want:
        problems.append("the sample converts to:\n" + brace_style.convert(sample))
    for name, t in ((src, text), ("the sample", sample)):
        new = brace_style.convert(t)
        if squeeze(new) != squeeze(t):
            problems.append("%s: the conversion changed more than whitespace" % name)
        if brace_style.own_line_braces(new.split("\n")):
            problems.append("%s: braces left on their own line" % name)
        if brace_style.convert(new) != new:
            problems.append("%s: a second conversion changed the text" % name)
    try:
        brace_style.convert("static const int t[] =\n{ 1, 2 };\n")
        problems.append("an initializer's brace at column 0 was not refused")
    except ValueError:
        pass
    report("brace-script", problems)


def main():
    if not check_listed() or not check_objects():
        return 1
    check_modules()
    check_statics()
    check_braces()
    check_brace_script()
    return 0


if __name__ == "__main__":
    sys.exit(main())
