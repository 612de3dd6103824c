#!/usr/bin/env python3
"""tests/conformance/model.py — an executable model of the scheduling rules of
docs/language.md §10 ("Scheduling, precisely"), and a
generator of random conformance graphs in the style of case_NN.agdf.

The model is an asyncio-like loop written out by hand: a FIFO ready queue of
tasks, bounded FIFO queues with lines of waiting consumers and producers, a put
waking the first waiting consumer and a take the first waiting producer, a woken
task re-checking when it runs.  It interprets graphs of the shape of the
conformance cases (nodes that print what they got, optionally pass, yield in a
loop with passes at chosen iterations, and raise for some values).

    model.py check CASE.agdf          print the model's stdout; compare it and the
                                      stats with CASE.expected / CASE.stats
    model.py gen SEED DIR             write DIR/rand_SEED.agdf, .expected, .stats

The twelve reference cases validate the model (`check` on each must agree with
what the reference library printed); random graphs then compare the generated
programs with the model on many more shapes than the twelve.
"""
import random
import re
import sys
from collections import deque

# ------------------------------------------------------------------ graphs
# A node: dict(name, param, max_tasks, queue_size, ops, idx)
# ops: list of ("print",), ("pass",), ("raise", P),
#      ("loop", K, passset, C, raiseP or None)


def parse_agdf(text):
    nodes, edges = [], []
    lines = text.splitlines()
    i = 0
    hdr = re.compile(r"node (\w+)\((int v)?\) -> int \[max_tasks = (\d+), queue_size = (\d+)\]")
    while i < len(lines):
        line = lines[i].strip()
        m = hdr.match(line)
        if m:
            node = dict(name=m.group(1), param=bool(m.group(2)), max_tasks=int(m.group(3)),
                        queue_size=int(m.group(4)), ops=[], idx=len(nodes))
            i += 1
            if not line.endswith("{"):               # "state { int j; } {" follows
                line = lines[i].strip()
                if not line.startswith("state"):
                    raise ValueError("unexpected line after node %s: %r" % (node["name"], line))
                i += 1
            depth = 1
            loop = None
            while depth > 0:
                line = lines[i].strip()
                depth += line.count("{") - line.count("}")
                i += 1
                if line.startswith("printf("):
                    node["ops"].append(("print",))
                elif line == "AGDF_PASS();":
                    node["ops"].append(("pass",))
                elif line.startswith("for (self->j = 0; self->j < "):
                    k = int(re.search(r"self->j < (\d+)", line).group(1))
                    loop = ["loop", k, set(), None, None]
                elif line.startswith("if (") and line.endswith("AGDF_PASS();"):
                    cond = line[4:line.rindex(")")]
                    if cond != "0":
                        loop[2] = {int(x) for x in re.findall(r"self->j == (\d+)", cond)}
                elif line.startswith("AGDF_YIELD("):
                    loop[3] = int(re.search(r"\* 31 \+ (\d+) \+ self->j", line).group(1))
                elif line.startswith("if (v % "):
                    p = int(re.search(r"v % (\d+) == 0", line).group(1))
                    if loop is not None:
                        loop[4] = p
                    else:
                        node["ops"].append(("raise", p))
                elif line == "}" and loop is not None and depth == 1:
                    node["ops"].append(tuple(loop))
                    loop = None
                elif line == "}" or line == "":
                    pass
                else:
                    raise ValueError("unexpected line in node %s: %r" % (node["name"], line))
            nodes.append(node)
            continue
        m = re.match(r"(\w+) -> (\w+);$", line)
        if m:
            edges.append((m.group(1), m.group(2)))
        i += 1
    return nodes, edges


# ------------------------------------------------------------------ the model

class Queue:
    def __init__(self, cap):
        self.cap = cap
        self.items = deque()
        self.getters = deque()   # waiting consumers
        self.putters = deque()   # waiting producers


def simulate(nodes, edges, max_steps=10_000_000):
    """Runs the graph; returns (stdout lines, {name: [in, out, err]})."""
    by_name = {n["name"]: n for n in nodes}
    succ = {n["name"]: [] for n in nodes}
    has_in = set()
    for a, b in edges:
        if b not in succ[a]:
            succ[a].append(b)
        has_in.add(b)
    queues = {n["name"]: Queue(n["queue_size"]) for n in nodes}
    stats = {n["name"]: [0, 0, 0] for n in nodes}
    out = []
    ready = deque()

    def body(node, v):
        """The node body as a generator of ('pass',) / ('yield', value); returns
        normally, or raises RuntimeError for AGDF_RAISE."""
        for op in node["ops"]:
            if op[0] == "print":
                out.append("%s got %d" % (node["name"], v))
            elif op[0] == "pass":
                yield ("pass",)
            elif op[0] == "raise":
                if c_mod(v, op[1]) == 0:
                    raise RuntimeError
            elif op[0] == "loop":
                _, k, passset, c, p = op
                for j in range(k):
                    if j in passset:
                        yield ("pass",)
                    if c is not None:
                        yield ("yield", ((v + 1000) * 31 + c + j) % 1000)
                    if p is not None and c_mod(v, p) == 0:
                        raise RuntimeError

    def task(node):
        q = queues[node["name"]]
        while True:
            v = yield ("get", q)
            gen = body(node, v)
            try:
                cmd = next(gen)
                while True:
                    if cmd[0] == "pass":
                        yield ("pass",)
                    else:
                        stats[node["name"]][1] += 1
                        for d in succ[node["name"]]:
                            stats[d][0] += 1
                        for d in succ[node["name"]]:
                            yield ("put", queues[d], cmd[1])
                    cmd = next(gen)
            except StopIteration:
                pass
            except RuntimeError:
                stats[node["name"]][2] += 1

    # Start items: default start nodes in declaration order.
    for n in nodes:
        if n["name"] not in has_in:
            queues[n["name"]].items.append(-1)
    # Tasks, ready in declaration order, then task index.
    for n in nodes:
        for _ in range(n["max_tasks"]):
            t = task(n)
            next(t)                      # to its first ("get", q)
            ready.append([t, ("get", queues[n["name"]])])

    steps = 0
    while ready:
        entry = ready.popleft()
        t, cmd = entry
        while True:
            steps += 1
            if steps > max_steps:
                raise RuntimeError("model does not terminate")
            if cmd[0] == "get":
                q = cmd[1]
                if q.items:
                    v = q.items.popleft()
                    if q.putters:
                        w = q.putters.popleft()
                        ready.append(w)
                    cmd = t.send(v)
                    continue
                q.getters.append([t, cmd])
                break
            if cmd[0] == "put":
                q, item = cmd[1], cmd[2]
                if len(q.items) < q.cap:
                    q.items.append(item)
                    if q.getters:
                        ready.append(q.getters.popleft())
                    cmd = t.send(None)
                    continue
                q.putters.append([t, cmd])
                break
            if cmd[0] == "pass":
                ready.append([t, ("resume",)])
                break
            if cmd[0] == "resume":
                cmd = t.send(None)
                continue
            raise AssertionError(cmd)
    return out, stats


def c_mod(a, b):
    """C's % (truncating), for negative a."""
    r = abs(a) % b
    return -r if a < 0 else r


# ------------------------------------------------------------------ random graphs

def gen_case(seed):
    rnd = random.Random(seed)
    nn = rnd.randint(3, 8)
    edges = []
    for b in range(1, nn):
        for a in range(b):
            if rnd.random() < 0.3:
                edges.append((a, b))
    rnd.shuffle(edges)
    has_in = {b for _, b in edges}
    lines = ["// Random conformance case %d: expected output and statistics from the model "
             "of the scheduling rules (tests/conformance/model.py)." % seed,
             "%{", "#include <stdio.h>", "%}"]
    for i in range(nn):
        param = i in has_in
        mt = rnd.choice([1, 1, 1, 2, 3])
        qs = rnd.choice([1, 2, 3, 4, 10000])
        v = "v" if param else "-1"
        simple = rnd.random() < 0.2
        sig = "node n%d(%s) -> int [max_tasks = %d, queue_size = %d]" % (
            i, "int v" if param else "", mt, qs)
        body = ['    printf("n%d got %%d\\n", %s);' % (i, v)]
        if rnd.random() < 0.4:
            body.append("    AGDF_PASS();")
        raise_p = rnd.choice([None, None, 5, 7]) if param else None
        if simple:
            lines.append(sig + " {")
            if raise_p:
                body.append('    if (v %% %d == 0) AGDF_RAISE("bad %%d", v);' % raise_p)
        else:
            lines.append(sig)
            lines.append("state { int j; } {")
            k = rnd.randint(1, 3)
            passes = sorted(rnd.sample(range(4), rnd.randint(0, 3)))
            cond = " || ".join("self->j == %d" % j for j in passes) or "0"
            body.append("    for (self->j = 0; self->j < %d; self->j++) {" % k)
            body.append("        if (%s) AGDF_PASS();" % cond)
            body.append("        AGDF_YIELD(((%s + 1000) * 31 + %d + self->j) %% 1000);" % (v, 7 * i))
            if raise_p:
                body.append('        if (v %% %d == 0) AGDF_RAISE("bad %%d", v);' % raise_p)
            body.append("    }")
        lines.extend(body)
        lines.append("}")
    for a, b in edges:
        lines.append("n%d -> n%d;" % (a, b))
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        path = sys.argv[2]
        nodes, edges = parse_agdf(open(path).read())
        out, stats = simulate(nodes, edges)
        base = path[:-len(".agdf")]
        want_out = open(base + ".expected").read().splitlines()
        want_stats = open(base + ".stats").read().splitlines()
        got_stats = ["%s %d %d %d" % (n["name"], *stats[n["name"]]) for n in nodes]
        ok = out == want_out and got_stats == want_stats
        if not ok:
            print("model disagrees with %s" % path)
            if out != want_out:
                print("  stdout: model %r\n  reference %r" % (out, want_out))
            if got_stats != want_stats:
                print("  stats: model %r\n  reference %r" % (got_stats, want_stats))
        return 0 if ok else 1
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        seed, d = int(sys.argv[2]), sys.argv[3]
        text = gen_case(seed)
        nodes, edges = parse_agdf(text)
        out, stats = simulate(nodes, edges)
        base = "%s/rand_%d" % (d, seed)
        open(base + ".agdf", "w").write(text)
        open(base + ".expected", "w").write("".join(l + "\n" for l in out))
        open(base + ".stats", "w").write(
            "".join("%s %d %d %d\n" % (n["name"], *stats[n["name"]]) for n in nodes))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
