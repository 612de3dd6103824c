#!/usr/bin/env python3
"""Random valid .agdf graphs that check their own deliveries (tests/random/).

Graph SEED is named rgSEED, so any number of them link into one program.  Its
nodes n0..nK form a random DAG with fan-in and fan-out; a node without sources
takes no parameters and is started by 1-3 start items (`start` statements) or
by the default start item; the others take one item, either a tuple (int src,
unsigned seq, unsigned val) or a struct rgSEED_item of the same fields plus
1-40 padding bytes filled with a pattern the receiver verifies.  max_tasks is
1-8, queue_size 1-64.  A body counts its item (rg_enter), may pass, then yields
0-3 items (a source 1-24), each optionally after AGDF_PASS() or AGDF_SLEEP()
(run under virtual time), and may raise before, inside or after its loop; the
graph and each node may set halt_on_exception.  tests/random/rg.h has the
bookkeeping and rg_check(), the conservation checks.

    gen.py SEED                      print graph SEED
    gen.py --batches DIR FIRST COUNT BATCH
                                     write DIR/bI/rgSEED.agdf for seeds FIRST..,
                                     BATCH graphs per directory, and each
                                     directory's main.c (runs its graphs)

Output depends only on the seed (Python's random.Random(seed) is stable).
With RG_HANDOFF=1 in the environment (tests/handoff/) the same graphs are
written in hand-off mode: graph attribute handoff = true, every queue_size
1 (the queues a waiting consumer is handed its item from).
"""
import os
import random
import sys

HANDOFF = os.environ.get("RG_HANDOFF") == "1"
MAX_CALLS = 1500            # redraw graphs that could run more invocations


def draw(rng):
    n = rng.randint(2, 9)
    sources = {0: []}
    for d in range(1, n):
        if rng.random() < 0.2:
            sources[d] = []
        else:
            sources[d] = sorted(rng.sample(range(d), rng.randint(1, min(d, 3))))
    graph_halt = rng.choice((None, None, None, True, False))
    nodes = []
    for i in range(n):
        src = not sources[i]
        node_halt = rng.choice((None, None, None, None, True, False))
        nodes.append({
            "i": i,
            "source": src,
            "max_tasks": rng.choice((1, 1, 2, 3, 4, 8)),
            "queue_size": rng.choice((1, 1, 2, 3, 4, 7, 16, 64)),
            "halt_attr": node_halt,
            "halts": node_halt if node_halt is not None else bool(graph_halt),
            "yields": rng.randint(1, 24) if src else rng.randint(0, 3),
            "pre_pass": rng.random() < 0.3,
            "pass_mod": rng.choice((0, 0, 2, 3)),
            "sleep_mod": rng.choice((0, 0, 2, 5)),
            "raise_mod": rng.choice((0, 0, 0, 3, 7, 13, 31)),
            "raise_at": rng.choice(("before", "inside", "after")),
            "starts": 0,
        })
    explicit = rng.random() < 0.5
    for nd in nodes:
        if nd["source"]:
            nd["starts"] = min(rng.randint(1, 3), nd["queue_size"]) if explicit else 1
    kind = rng.choice(("tuple", "struct"))
    pad = rng.randint(1, 40)
    edges = [(s, d) for d in range(n) for s in sources[d]]
    return {"n": n, "nodes": nodes, "edges": edges, "graph_halt": graph_halt,
            "explicit": explicit, "kind": kind, "pad": pad}


def calls(g):
    """An upper bound on the invocations (raises ignored)."""
    c = [nd["starts"] for nd in g["nodes"]]
    for s, d in sorted(g["edges"], key=lambda e: e[1]):
        c[d] += c[s] * g["nodes"][s]["yields"]
    return sum(c)


def make_graph(seed):
    rng = random.Random(seed)
    while True:
        g = draw(rng)
        if calls(g) <= MAX_CALLS:
            return g


def render_node(g, nd, name):
    i = nd["i"]
    attrs = [f"max_tasks = {nd['max_tasks']}", f"queue_size = {nd['queue_size']}"]
    if nd["halt_attr"] is not None:
        attrs.append(f"halt_on_exception = {'true' if nd['halt_attr'] else 'false'}")
    if g["kind"] == "tuple":
        out, param = "(int, unsigned, unsigned)", "int src, unsigned seq, unsigned val"
        enter = f"rg_enter(self->agdf.node->graph, {i}, src, seq, val)"
        put = f"AGDF_YIELD({i}, self->s, rg_value({i}, self->s))"
    else:
        out, param = f"{name}_item", f"{name}_item it"
        enter = f"rg_enter_item(self->agdf.node->graph, {i}, &it)"
        put = f"AGDF_YIELD(rg_item({i}, self->s))"
    if nd["source"]:
        param = ""
        enter = f"rg_enter(self->agdf.node->graph, {i}, -1, 0, 0)"
        first = f"self->v = (unsigned)rg_calls[{i}] * 7919u;"
        count = f"{nd['yields']}"
    else:
        first = "self->v = " + ("val;" if g["kind"] == "tuple" else "it.val;")
        count = f"self->v % {nd['yields'] + 1}u"
    raise_ = ""
    if nd["raise_mod"]:
        raise_ = (f"if (self->v % {nd['raise_mod']}u == 1u) {{ rg_raise({i}); "
                  f"AGDF_RAISE(\"boom %u\", self->v); }}")
    L = [f"node n{i}({param}) -> {out} [{', '.join(attrs)}]",
         "state { unsigned i, n, s, v; } {",
         f"    {enter};",
         f"    {first}"]
    if nd["pre_pass"]:
        L.append("    AGDF_PASS(); rg_alive();")
    if raise_ and nd["raise_at"] == "before":
        L.append("    " + raise_)
    L.append(f"    for (self->i = 0, self->n = {count}; self->i < self->n; self->i++) {{")
    if nd["pass_mod"]:
        L.append(f"        if ((self->v + self->i) % {nd['pass_mod']}u == 0u) {{ AGDF_PASS(); rg_alive(); }}")
    if nd["sleep_mod"]:
        L.append(f"        if ((self->v + self->i) % {nd['sleep_mod']}u == 1u) "
                 f"{{ AGDF_SLEEP((self->v + self->i) % 50u); rg_alive(); }}")
    L.append(f"        self->s = rg_send({i});")
    L.append(f"        {put};")
    L.append("        rg_alive();")
    if raise_ and nd["raise_at"] == "inside":
        L.append("        if (self->i == 0u) { " + raise_ + " }")
    L.append("    }")
    if raise_ and nd["raise_at"] == "after":
        L.append("    " + raise_)
    L.append("}")
    return "\n".join(L) + "\n"


def render(seed):
    g = make_graph(seed)
    name = f"rg{seed}"
    n = g["n"]
    out = [f"// random graph: python3 tests/random/gen.py {seed}\n"]
    attrs = []
    if g["graph_halt"] is not None:
        attrs.append(f"halt_on_exception = {'true' if g['graph_halt'] else 'false'}")
    if HANDOFF:
        attrs.append("handoff = true")
        for nd in g["nodes"]:
            nd["queue_size"] = 1
            nd["starts"] = min(nd["starts"], 1)
    out.append(f"graph {name} [{', '.join(attrs)}];\n" if attrs else f"graph {name};\n")
    if g["kind"] == "struct":
        out.append("%header{\n"
                   f"typedef struct {{ int src; unsigned seq; unsigned val; unsigned char pad[{g['pad']}]; }} {name}_item;\n"
                   "%}\n")
    dst = [[d for s, d in g["edges"] if s == i] for i in range(n)]
    out.append("%{\n")
    out.append(f"#define RG_N {n}\n")
    out.append("static const int rg_dst[RG_N][RG_N + 1] = {"
               + ", ".join("{" + ", ".join(map(str, ds + [-1])) + "}" for ds in dst) + "};\n")
    out.append("static const int rg_starts[RG_N] = {"
               + ", ".join(str(nd["starts"]) for nd in g["nodes"]) + "};\n")
    out.append("static const int rg_halts[RG_N] = {"
               + ", ".join(str(int(nd["halts"])) for nd in g["nodes"]) + "};\n")
    out.append('#include "rg.h"\n')
    if g["kind"] == "struct":
        out.append(f"static {name}_item rg_item(int src, unsigned seq)\n{{\n"
                   f"    {name}_item it;\n    size_t k;\n"
                   "    it.src = src;\n    it.seq = seq;\n    it.val = rg_value(src, seq);\n"
                   "    for (k = 0; k < sizeof it.pad; k++)\n"
                   "        it.pad[k] = (unsigned char)(it.val + k);\n"
                   "    return it;\n}\n")
        out.append(f"static void rg_enter_item(agdf_graph *g, int me, const {name}_item *it)\n{{\n"
                   "    size_t k;\n"
                   "    for (k = 0; k < sizeof it->pad; k++)\n"
                   "        if (it->pad[k] != (unsigned char)(it->val + k))\n"
                   "            rg_bad_src++;\n"
                   "    rg_enter(g, me, it->src, it->seq, it->val);\n}\n")
    out.append(f"int {name}_check(const char *log, int rc);\n")
    out.append(f"int {name}_check(const char *log, int rc)\n{{\n"
               + ("    (void)rg_enter_item;   /* unused when every node is a source */\n"
                  if g["kind"] == "struct" else "")
               + f"    return rg_check(\"{name}\", log, rc);\n}}\n")
    out.append("%}\n")
    out += [render_node(g, nd, name) for nd in g["nodes"]]
    out += [f"n{s} -> n{d};\n" for s, d in g["edges"]]
    if g["explicit"]:
        for nd in g["nodes"]:
            out += [f"start n{nd['i']}();\n"] * nd["starts"]
    return "".join(out)


MAIN = r'''/* main.c of one batch of random graphs (written by tests/random/gen.py):
** runs each graph's generated main() (compiled with -Dmain=NAME_main) with
** --stats --virtual-time, stderr captured, then its NAME_check(); also checks
** that a malformed flag value is a usage error (exit status 2; an unknown
** flag goes to the graph).  An alarm turns a
** run that does not terminate into a failure naming the graph.
** Usage: ./batch [NAME]   (only graph NAME)
*/
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

%(decls)s
static const struct {
    const char *name;
    int (*main)(int, char **);
    int (*check)(const char *, int);
} graphs[] = {
%(table)s
};

static const char *current = "";

static void on_alarm(int sig)
{
    (void)sig;
    if (write(1, "  did not terminate: ", 21) < 0 || write(1, current, strlen(current)) < 0
        || write(1, "\n", 1) < 0)
        _exit(9);
    _exit(9);
}

/* Runs one graph's main with argv, its stderr into a string (malloc'ed). */
static int run_captured(int (*fn)(int, char **), int argc, char **argv, char **log)
{
    FILE *tmp = tmpfile();
    int saved, rc;
    long n;

    if (!tmp || (saved = dup(2)) < 0) {
        perror("tmpfile/dup");
        exit(2);
    }
    fflush(stderr);
    dup2(fileno(tmp), 2);
    alarm(20);
    rc = fn(argc, argv);
    alarm(0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    n = ftell(tmp);
    *log = calloc(1, n > 0 ? (size_t)n + 1 : 1);
    if (!*log) exit(2);
    rewind(tmp);
    if (n > 0 && fread(*log, 1, (size_t)n, tmp) != (size_t)n) {
        perror("fread");
        exit(2);
    }
    fclose(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    static char a_stats[] = "--stats", a_virt[] = "--virtual-time", a_bad[] = "--log-interval=abc";
    size_t i;
    int failed = 0, ran = 0, by_rc[4] = {0, 0, 0, 0};

    signal(SIGALRM, on_alarm);
    for (i = 0; i < sizeof graphs / sizeof graphs[0]; i++) {
        char name[64], *log;
        char *run_argv[] = { name, a_stats, a_virt, NULL };
        char *bad_argv[] = { name, a_bad, NULL };
        int rc, fails;

        if (argc > 1 && strcmp(argv[1], graphs[i].name) != 0)
            continue;
        snprintf(name, sizeof name, "%%s", graphs[i].name);
        current = graphs[i].name;
        rc = run_captured(graphs[i].main, 2, bad_argv, &log);
        free(log);
        fails = rc != 2;
        if (fails)
            printf("  %%s: a malformed --log-interval gave exit status %%d, not 2\n",
                   graphs[i].name, rc);
        rc = run_captured(graphs[i].main, 3, run_argv, &log);
        fails += graphs[i].check(log, rc);
        by_rc[rc >= 0 && rc <= 3 ? rc : 2]++;
        free(log);
        if (fails) {
            printf("  %%s: %%d failed checks (graph: python3 tests/random/gen.py %%s)\n",
                   graphs[i].name, fails, graphs[i].name + 2);
            failed++;
        }
        ran++;
    }
    printf("%%d graphs, %%d failed: %%d clean, %%d raised, %%d halted\n",
           ran, failed, by_rc[0], by_rc[1], by_rc[3]);
    return failed != 0 || ran == 0;
}
'''


def write_batches(outdir, first, count, batch):
    for b, start in enumerate(range(first, first + count, batch)):
        seeds = list(range(start, min(start + batch, first + count)))
        d = os.path.join(outdir, f"b{b}")
        os.makedirs(d, exist_ok=True)
        for s in seeds:
            with open(os.path.join(d, f"rg{s}.agdf"), "w") as f:
                f.write(render(s))
        decls = "".join(f"int rg{s}_main(int, char **);\nint rg{s}_check(const char *, int);\n"
                        for s in seeds)
        table = ",\n".join(f'    {{"rg{s}", rg{s}_main, rg{s}_check}}' for s in seeds)
        with open(os.path.join(d, "main.c"), "w") as f:
            f.write(MAIN % {"decls": decls, "table": table})
        with open(os.path.join(d, "seeds"), "w") as f:
            f.write(" ".join(map(str, seeds)) + "\n")


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "--batches":
        write_batches(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) == 2:
        sys.stdout.write(render(int(sys.argv[1])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
