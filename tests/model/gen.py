#!/usr/bin/env python3
"""Random race-free .agdf graphs in the exact style of tests/conformance/case_NN.agdf.

The acceptance tests hold agdf to the reference library on random graphs we cannot
see; this script produces more graphs of the same kind so that tests/model/model.py
(an independent simulator of the six scheduling rules of docs/language.md §10) can be compared with
the compiled programs.  The shape mirrors the twelve conformance cases: nodes n0..nK
declared in order; a node with incoming edges takes `int v`, one without takes no
parameters (prints -1 and is a default start node); each body prints "nI got V", may
`AGDF_PASS()` once before its work, and either yields 1-3 items from a `state` loop
(an optional `if (self->j == a || ...) AGDF_PASS();` before each yield and an optional
`if (v % 5|7 == 0) AGDF_RAISE(...)` after it) or yields nothing (print, optional pass,
optional raise).  Edges are declared grouped by destination, sources ascending, so a
node's fan-out goes to its destinations in declaration order.  max_tasks and
queue_size are drawn from the given ranges.  Output depends only on the seed and the
options (Python's `random.Random(seed)` is stable across versions for these calls).

    gen.py SEED [--nodes MIN-MAX] [--max-tasks N] [--queues 1,2,3,4,10000]
           [--max-calls N] [-o FILE]
"""
import argparse
import random
import sys

HEADER = "%{\n#include <stdio.h>\n%}\n"


def invocations(nodes, edges):
    """An upper bound on the number of node invocations (raises ignored)."""
    calls = [0 if n["param"] else 1 for n in nodes]
    for s, d in sorted(edges, key=lambda e: e[1]):   # sources precede destinations
        calls[d] += calls[s] * (nodes[s]["count"] if nodes[s]["loop"] else 0)
    return sum(calls)


def make_graph(rng, min_nodes=4, max_nodes=8, max_tasks=3, queue_sizes=(1, 2, 3, 4, 10000),
               max_calls=1500):
    """Returns (nodes, edges): nodes is a list of dicts, edges a list of (src, dst).
    Graphs whose item count could explode (more than max_calls invocations) are drawn
    again from the same generator, so the result still depends only on the seed."""
    while True:
        nodes, edges = draw_graph(rng, min_nodes, max_nodes, max_tasks, queue_sizes)
        if invocations(nodes, edges) <= max_calls:
            return nodes, edges


def draw_graph(rng, min_nodes, max_nodes, max_tasks, queue_sizes):
    n = rng.randint(min_nodes, max_nodes)
    sources = {0: []}
    for d in range(1, n):
        if rng.random() < 0.3:              # another start node
            sources[d] = []
        else:
            k = rng.randint(1, min(d, 4))
            sources[d] = sorted(rng.sample(range(d), k))
    nodes = []
    for i in range(n):
        has_param = bool(sources[i])
        node = {
            "index": i,
            "param": has_param,
            "max_tasks": rng.randint(1, max_tasks),
            "queue_size": rng.choice(queue_sizes),
            "pre_pass": rng.random() < 0.3,
            "loop": rng.random() < 0.8,
            "count": rng.randint(1, 3),
            "pass_at": sorted(rng.sample(range(4), rng.choice((0, 0, 1, 1, 2, 3)))),
            "raise_mod": rng.choice((None, 5, 7)) if has_param else None,
        }
        nodes.append(node)
    edges = [(s, d) for d in range(n) for s in sources[d]]
    return nodes, edges


def render_node(node):
    i = node["index"]
    params = "int v" if node["param"] else ""
    v = "v" if node["param"] else "-1"
    head = f"node n{i}({params}) -> int [max_tasks = {node['max_tasks']}, queue_size = {node['queue_size']}]"
    lines = []
    if node["loop"]:
        lines.append(head)
        lines.append("state { int j; } {")
    else:
        lines.append(head + " {")
    lines.append(f'    printf("n{i} got %d\\n", {v});')
    if node["pre_pass"]:
        lines.append("    AGDF_PASS();")
    raise_line = None
    if node["raise_mod"]:
        raise_line = f'if (v % {node["raise_mod"]} == 0) AGDF_RAISE("bad %d", v);'
    if node["loop"]:
        cond = " || ".join(f"self->j == {j}" for j in node["pass_at"]) or "0"
        lines.append(f"    for (self->j = 0; self->j < {node['count']}; self->j++) {{")
        lines.append(f"        if ({cond}) AGDF_PASS();")
        lines.append(f"        AGDF_YIELD((({v} + 1000) * 31 + {7 * i} + self->j) % 1000);")
        if raise_line:
            lines.append("        " + raise_line)
        lines.append("    }")
    elif raise_line:
        lines.append("    " + raise_line)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(nodes, edges, comment="random graph from tests/model/gen.py"):
    out = [f"// {comment}\n", HEADER]
    out += [render_node(n) for n in nodes]
    out += [f"n{s} -> n{d};\n" for s, d in edges]
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("--nodes", default="4-8", help="MIN-MAX number of nodes")
    ap.add_argument("--max-tasks", type=int, default=3)
    ap.add_argument("--queues", default="1,2,3,4,10000", help="queue sizes to draw from")
    ap.add_argument("--max-calls", type=int, default=1500,
                    help="redraw graphs with more node invocations than this")
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    a = ap.parse_args()
    lo, hi = (int(x) for x in a.nodes.split("-"))
    rng = random.Random(a.seed)
    nodes, edges = make_graph(rng, lo, hi, a.max_tasks, tuple(int(q) for q in a.queues.split(",")),
                               a.max_calls)
    text = render(nodes, edges, f"random graph: tests/model/gen.py {a.seed} --nodes {a.nodes} "
                                f"--max-tasks {a.max_tasks} --queues {a.queues}")
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
