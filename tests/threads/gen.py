#!/usr/bin/env python3
"""Random threaded .agdf graphs that check their own deliveries (tests/threads/).

Graph SEED (named tgSEED) is a random DAG of 3-9 nodes (6-16 with --big) with
fan-in and fan-out, compiled for `threads = T` (T = 2..4, 2..8 with --big).
Each node has max_tasks 1-4, queue_size 1, 2, 16 or 1024, some CPU work
(tg_spin), AGDF_PASS() and AGDF_SLEEP() (run under --virtual-time), raises
that do not halt, and a placement: an explicit `thread = K`, `spread = true`
(max_tasks > 1), or automatic with a `weight`; a graph's placement is all
explicit, all automatic or mixed.  Items are tuples (int src, unsigned seq,
unsigned val) or a struct of those plus 1-40 padding bytes the receiver
checks.  Sinks print what they receive (one printf per item).

A "halt" graph (one seed in four) has one node with halt_on_exception = true,
placed on thread 1, raising at its K-th invocation, where K is below the
invocations it gets in a run without a halt: the run must end with status 3.

The same graph without any thread attribute (--single) is the reference:
tests/threads/run.sh runs both and compares what they print and count.
Output depends only on the seed (random.Random(seed) is stable); the counts
of a run without a halt are simulated here and compiled into the program
(tg_want, tg_want_edge in tests/threads/tg.h).

    gen.py [--big] [--single] SEED   print graph SEED (the reference with --single)
    gen.py [--big] --meta SEED       print "threads=T min=M mode=flow|halt virt=0|1
                                      calls=C": min is the fewest threads its
                                      explicit placement allows
"""
import random
import sys

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1
QUEUES = (1, 1, 2, 16, 16, 1024)


def value(node, seq):
    """tg_value() of tests/threads/tg.h."""
    x = ((node * 2654435761) & M32) ^ (((seq + 0x9e3779b9) & M32) * 40503 & M32)
    return x ^ (x >> 13)


def draw(rng, big):
    n = rng.randint(6, 16) if big else rng.randint(3, 9)
    threads = rng.randint(2, 8) if big else rng.randint(2, 4)
    sources = {0: []}
    for d in range(1, n):
        if rng.random() < 0.15:
            sources[d] = []
        else:
            sources[d] = sorted(rng.sample(range(d), rng.randint(1, min(d, 3))))
    policy = rng.choice(("auto", "explicit", "mixed"))
    nodes = []
    for i in range(n):
        src = not sources[i]
        nd = {
            "i": i,
            "source": src,
            "max_tasks": rng.randint(1, 4),
            "queue_size": rng.choice(QUEUES),
            "yields": rng.randint(1, 3000 if big else 300) if src else rng.randint(0, 3),
            "spin": rng.choice((0, 0, 50, 400, 2000)),
            "pass_mod": rng.choice((0, 0, 2, 5)),
            "sleep_mod": rng.choice((0, 0, 0, 3)),
            "raise_mod": rng.choice((0, 0, 0, 5, 11, 31)),
            "raise_at": rng.choice(("before", "inside", "after")),
            "thread": None,
            "spread": False,
            "weight": None,
            "halt_at": None,
            "starts": 0,
        }
        r = rng.random()
        if policy == "explicit" or (policy == "mixed" and r < 0.4):
            nd["thread"] = rng.randrange(threads)
        elif nd["max_tasks"] > 1 and r < 0.7:
            nd["spread"] = True
        if nd["thread"] is None:
            nd["weight"] = rng.choice((None, None, 1, 5, 100, 1000000))
        nodes.append(nd)
    explicit_starts = rng.random() < 0.5
    for nd in nodes:
        if nd["source"]:
            nd["starts"] = min(rng.randint(1, 3), nd["queue_size"]) if explicit_starts else 1
    edges = [(s, d) for d in range(n) for s in sources[d]]
    return {"n": n, "threads": threads, "nodes": nodes, "edges": edges,
            "explicit_starts": explicit_starts, "kind": rng.choice(("tuple", "struct")),
            "pad": rng.randint(1, 40), "halt": False,
            "max_exceptions": rng.choice((None, 1, 2, 5))}


def simulate(g):
    """Per node [calls, yields, raises] and per edge [cnt, sum] of a run without a halt."""
    n = g["n"]
    did = [[0, 0, 0] for _ in range(n)]
    edge = {e: [0, 0] for e in g["edges"]}
    received = [[] for _ in range(n)]
    dst = [[d for s, d in g["edges"] if s == i] for i in range(n)]
    for nd in g["nodes"]:                      # sources have the lowest indices on their paths
        i = nd["i"]
        if nd["source"]:
            vals = [(k * 7919) & M32 for k in range(nd["starts"])]
        else:
            vals = received[i]
        for v in vals:
            did[i][0] += 1
            count = nd["yields"] if nd["source"] else v % (nd["yields"] + 1)
            raises = nd["raise_mod"] and v % nd["raise_mod"] == 1
            if raises and nd["raise_at"] == "before":
                count = 0
            elif raises and nd["raise_at"] == "inside":
                raises = count > 0
                count = min(count, 1)
            did[i][2] += 1 if raises else 0
            for _ in range(count):
                seq = did[i][1]
                did[i][1] += 1
                for d in dst[i]:
                    edge[(i, d)][0] += 1
                    edge[(i, d)][1] = (edge[(i, d)][1] + value(i, seq)) & M64
                    received[d].append(value(i, seq))
    return did, edge


def make_graph(seed, big):
    rng = random.Random(seed)
    limit = 200000 if big else 8000
    while True:
        g = draw(rng, big)
        did, edge = simulate(g)
        if sum(c[0] for c in did) <= limit:
            break
    g["did"], g["edge"] = did, edge
    # one seed in four halts: a node on thread 1 that gets at least 2 items
    cand = [nd for nd in g["nodes"] if not nd["source"] and did[nd["i"]][0] >= 2]
    if seed % 4 == 3 and cand:
        h = rng.choice(cand)
        h["thread"], h["spread"], h["weight"] = 1, False, None
        h["raise_mod"] = 0
        h["halt_at"] = rng.randrange(did[h["i"]][0])
        g["halt"] = True
        g["did"], g["edge"] = simulate(g)    # its raises changed
    return g


def min_threads(g):
    return 1 + max([nd["thread"] for nd in g["nodes"] if nd["thread"] is not None] or [0])


def render_node(g, nd, single):
    i, name = nd["i"], f"tg{g['seed']}"
    attrs = [f"max_tasks = {nd['max_tasks']}", f"queue_size = {nd['queue_size']}"]
    if nd["halt_at"] is not None:
        attrs.append("halt_on_exception = true")
    if not single:
        if nd["thread"] is not None:
            attrs.append(f"thread = {nd['thread']}")
        if nd["spread"]:
            attrs.append("spread = true")
        if nd["weight"] is not None:
            attrs.append(f"weight = {nd['weight']}")
    if g["kind"] == "tuple":
        out, param = "(int, unsigned, unsigned)", "int src, unsigned seq, unsigned val"
        enter = f"self->k = tg_enter({i}, src, seq, val)"
        put = f"AGDF_YIELD({i}, self->s, tg_value({i}, self->s))"
        first, show = "val", "src, seq, val"
    else:
        out, param = f"{name}_item", f"{name}_item it"
        enter = f"self->k = tg_enter_item({i}, &it)"
        put = f"AGDF_YIELD(tg_item({i}, self->s))"
        first, show = "it.val", "it.src, it.seq, it.val"
    sink = not any(s == i for s, d in g["edges"])
    if nd["source"]:
        param, first = "", "(unsigned)self->k * 7919u"
        enter = f"self->k = tg_enter({i}, -1, 0, 0)"
        count = f"{nd['yields']}"
    else:
        count = f"self->v % {nd['yields'] + 1}u"
    raise_ = ""
    if nd["raise_mod"]:
        raise_ = (f"if (self->v % {nd['raise_mod']}u == 1u) {{ tg_raise({i}, 0); "
                  f"AGDF_RAISE(\"boom %u\", self->v); }}")
    # every line of a node is the same in both variants: ERROR lines carry
    # the .agdf line of the raise, and must compare equal
    L = [f"node n{i}({param}) -> {out} [{', '.join(attrs)}]",
         "state { unsigned long long k; unsigned i, n, s, v; } {",
         f"    {enter};",
         f"    self->v = {first};"]
    if nd["halt_at"] is not None:
        L.append(f"    if (self->k == {nd['halt_at']}u) {{ tg_raise({i}, 1); "
                 f"AGDF_RAISE(\"boom halt %u\", self->v); }}")
    if nd["spin"]:
        L.append(f"    tg_spin(self->v, self->v % {nd['spin']}u);")
    if sink and not nd["source"]:
        L.append(f'    printf("n{i} got %d %u %u\\n", {show});')
    if raise_ and nd["raise_at"] == "before":
        L.append("    " + raise_)
    L.append(f"    for (self->i = 0, self->n = {count}; self->i < self->n; self->i++) {{")
    if nd["pass_mod"]:
        L.append(f"        if ((self->v + self->i) % {nd['pass_mod']}u == 0u) AGDF_PASS();")
    if nd["sleep_mod"]:
        L.append(f"        if ((self->v + self->i) % {nd['sleep_mod']}u == 1u) "
                 f"AGDF_SLEEP((self->v + self->i) % 7u);")
    L.append(f"        self->s = tg_send({i});")
    L.append(f"        {put};")
    if raise_ and nd["raise_at"] == "inside":
        L.append("        if (self->i == 0u) { " + raise_ + " }")
    L.append("    }")
    if raise_ and nd["raise_at"] == "after":
        L.append("    " + raise_)
    L.append("}")
    return "\n".join(L) + "\n"


def render(seed, big, single):
    g = make_graph(seed, big)
    g["seed"] = seed
    name, n = f"tg{seed}", g["n"]
    attrs = []
    if g["max_exceptions"] is not None:
        attrs.append(f"max_exceptions = {g['max_exceptions']}")
    if not single:
        attrs.append(f"threads = {g['threads']}")
    out = [f"// random threaded graph: python3 tests/threads/gen.py {'--big ' if big else ''}"
           f"{'--single ' if single else ''}{seed}\n",
           f"graph {name}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";\n"]
    if g["kind"] == "struct":
        out.append("%header{\n"
                   f"typedef struct {{ int src; unsigned seq; unsigned val; "
                   f"unsigned char pad[{g['pad']}]; }} {name}_item;\n%}}\n")
    dst = [[d for s, d in g["edges"] if s == i] for i in range(n)]
    out.append("%{\n#include <stdio.h>\n")
    out.append(f"#define TG_N {n}\n")
    out.append("static const int tg_dst[TG_N][TG_N + 1] = {"
               + ", ".join("{" + ", ".join(map(str, ds + [-1])) + "}" for ds in dst) + "};\n")
    out.append("static const int tg_starts[TG_N] = {"
               + ", ".join(str(nd["starts"]) for nd in g["nodes"]) + "};\n")
    out.append("static const struct { unsigned long long calls, yields, raises; } tg_want[TG_N] = {"
               + ", ".join("{%d, %d, %d}" % tuple(c) for c in g["did"]) + "};\n")
    out.append("static const struct { unsigned long long cnt, sum; } tg_want_edge[TG_N][TG_N] = {\n"
               + ",\n".join("    {" + ", ".join("{%du, %duLL}" % tuple(g["edge"].get((s, d), (0, 0)))
                                              for d in range(n)) + "}" for s in range(n))
               + "};\n")
    out.append('#include "tg.h"\n')
    if g["kind"] == "struct":
        out.append(f"static {name}_item tg_item(int src, unsigned seq)\n{{\n"
                   f"    {name}_item it;\n    size_t k;\n"
                   "    it.src = src;\n    it.seq = seq;\n    it.val = tg_value(src, seq);\n"
                   "    for (k = 0; k < sizeof it.pad; k++)\n"
                   "        it.pad[k] = (unsigned char)(it.val + k);\n"
                   "    return it;\n}\n")
        out.append(f"static unsigned long long tg_enter_item(int me, const {name}_item *it)\n{{\n"
                   "    size_t k;\n"
                   "    for (k = 0; k < sizeof it->pad; k++)\n"
                   "        if (it->pad[k] != (unsigned char)(it->val + k))\n"
                   "            TG_ADD(&tg_bad, 1ull);\n"
                   "    return tg_enter(me, it->src, it->seq, it->val);\n}\n")
    # the generated main()'s graph (docs/runtime.md names it), declared here
    # for the check tests/threads/tg_main.c calls after main() returned
    out.append(f"static {name} agdf_main_graph;\n")
    out.append("int tg_run_check(int rc, FILE *rep);\n")
    out.append("int tg_run_check(int rc, FILE *rep)\n{\n"
               + ("    (void)tg_enter_item;   /* unused when every node is a source */\n"
                  if g["kind"] == "struct" else "")
               + f"    return tg_check({name}_graph(&agdf_main_graph), rc, rep, "
               f"{g['max_exceptions'] or 1000}u);\n}}\n")
    out.append("%}\n")
    out += [render_node(g, nd, single) for nd in g["nodes"]]
    out += [f"n{s} -> n{d};\n" for s, d in g["edges"]]
    if g["explicit_starts"]:
        for nd in g["nodes"]:
            out += [f"start n{nd['i']}();\n"] * nd["starts"]
    return "".join(out)


def meta(seed, big):
    g = make_graph(seed, big)
    virt = any(nd["sleep_mod"] for nd in g["nodes"])
    return (f"threads={g['threads']} min={min_threads(g)} mode={'halt' if g['halt'] else 'flow'} "
            f"virt={int(virt)} calls={sum(c[0] for c in g['did'])}")


def main():
    args = sys.argv[1:]
    big = "--big" in args
    single = "--single" in args
    want_meta = "--meta" in args
    rest = [a for a in args if a not in ("--big", "--single", "--meta")]
    if len(rest) != 1 or not rest[0].isdigit():
        sys.exit(__doc__)
    seed = int(rest[0])
    sys.stdout.write(meta(seed, big) + "\n" if want_meta else render(seed, big, single))


if __name__ == "__main__":
    main()
