/*
** rg.h — the bookkeeping every random graph of tests/random/ folds into,
** included by each graph's %{ %} block (so each graph, one translation unit,
** has its own copy of these static tables).  The graph defines RG_N (its node
** count), rg_dst (each node's destinations, edge order, -1 terminated),
** rg_starts (start items per node) and rg_halts (1: a raise in that node
** halts the run) before including it.
**
** Bodies count, per edge, the items sent (at each yield, for every
** destination) and received (at body entry, by the item's source field),
** with a count and a checksum of the values; per node, the invocations, the
** yields and the raises.  rg_check() then holds the run to exact
** conservation (sent == received on every edge; with a halt, per node:
** in + start items == invocations + dropped, and nothing ran after the
** halt), to the runtime's statistics and to the --stats and ERROR lines the
** generated main() printed, and returns the exit status docs/cli.md gives.
*/
#include <stdio.h>
#include <string.h>

typedef struct rg_flow {
    unsigned long long cnt;      /* items */
    unsigned long long sum;      /* checksum of their values (wraps, on purpose) */
} rg_flow;

static rg_flow rg_sent[RG_N][RG_N];   /* [src][dst], counted at the yield */
static rg_flow rg_recv[RG_N][RG_N];   /* [src][dst], counted at body entry */
static unsigned long long rg_calls[RG_N];  /* invocations (items taken) */
static unsigned long long rg_yields[RG_N]; /* AGDF_YIELDs */
static unsigned long long rg_raises[RG_N]; /* AGDF_RAISEs */
static unsigned rg_seq[RG_N];              /* next sequence number per node */
static unsigned long long rg_bad_src;      /* items from a node that is no source */
static unsigned long long rg_after_halt;   /* body steps run after a halting raise */
static int rg_halted;                      /* a halting raise happened */
static agdf_graph *rg_graph;               /* the graph, seen from a body */

/* A value that depends on who sent it and when: corruption shows in sums. */
static unsigned rg_value(int node, unsigned seq)
{
    unsigned x = (unsigned)node * 2654435761u ^ (seq + 0x9e3779b9u) * 40503u;
    return x ^ (x >> 13);
}

/* At every body entry and after every suspension: nothing may run after a halt. */
static void rg_alive(void)
{
    if (rg_halted)
        rg_after_halt++;
}

static void rg_enter(agdf_graph *g, int me, int src, unsigned seq, unsigned val)
{
    rg_graph = g;
    rg_alive();
    rg_calls[me]++;
    if (src < 0)
        return;                              /* a start item */
    if (src >= RG_N || val != rg_value(src, seq)) {
        rg_bad_src++;
        return;
    }
    rg_recv[src][me].cnt++;
    rg_recv[src][me].sum += val;
}

/* Counts one yield of `me` on each of its edges; returns its sequence number. */
static unsigned rg_send(int me)
{
    unsigned seq = rg_seq[me]++;
    const int *d;

    rg_yields[me]++;
    for (d = rg_dst[me]; *d >= 0; d++) {
        rg_sent[me][*d].cnt++;
        rg_sent[me][*d].sum += rg_value(me, seq);
    }
    return seq;
}

static void rg_raise(int me)
{
    rg_raises[me]++;
    if (rg_halts[me])
        rg_halted = 1;
}

/* How many times `line` occurs at the start of a line of text. */
static int rg_count_lines(const char *text, const char *line)
{
    int n = 0;
    size_t len = strlen(line);
    const char *p = text;

    while (p && *p) {
        if (strncmp(p, line, len) == 0)
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

/* Tasks still parked in a put when the run ended: the runtime must have
** finished every put or counted what it owed as dropped (and cleared it). */
static unsigned long long rg_parked_puts(void)
{
    unsigned long long parked = 0;
    int s;
    uint32_t k;

    for (s = 0; s < RG_N; s++) {
        const agdf_node *n = &rg_graph->nodes[s];
        for (k = 0; k < n->def->ntasks; k++) {
            const agdf_task *t = (const agdf_task *)(const void *)(n->tasks + k * n->def->task_size);
            parked += t->putting != 0;
        }
    }
    return parked;
}

#define RG_FAIL(...) (printf("  %s: ", rg_name), printf(__VA_ARGS__), printf("\n"), fails++)

/* Checks one finished run; `log` is what it printed on stderr, `rc` its
** exit status.  Prints each failure, returns how many. */
static int rg_check(const char *rg_name, const char *log, int rc)
{
    int fails = 0, s, d, want_rc;
    unsigned long long raises = 0;
    char line[256];

    (void)rg_raise;                          /* not every graph raises */
    if (!rg_graph)
        return RG_FAIL("no body ran"), fails;
    if (rg_parked_puts() != 0)
        RG_FAIL("%llu tasks still parked in a put after the run", rg_parked_puts());
    for (d = 0; d < RG_N; d++) {
        const agdf_stats *st = agdf_node_stats(rg_graph, (uint32_t)d);
        unsigned long long in = 0, got = 0;
        for (s = 0; s < RG_N; s++) {
            in += rg_sent[s][d].cnt;
            got += rg_recv[s][d].cnt;
            if (!rg_halted && (rg_sent[s][d].cnt != rg_recv[s][d].cnt || rg_sent[s][d].sum != rg_recv[s][d].sum))
                RG_FAIL("edge n%d -> n%d: sent %llu (sum %llu), received %llu (sum %llu)", s, d,
                        rg_sent[s][d].cnt, rg_sent[s][d].sum, rg_recv[s][d].cnt, rg_recv[s][d].sum);
            if (rg_recv[s][d].cnt > rg_sent[s][d].cnt)
                RG_FAIL("edge n%d -> n%d: received %llu > sent %llu", s, d,
                        rg_recv[s][d].cnt, rg_sent[s][d].cnt);
        }
        if (st->in != in || st->out != rg_yields[d] || st->err != rg_raises[d])
            RG_FAIL("n%d: stats in=%llu out=%llu err=%llu, counted in=%llu out=%llu err=%llu", d,
                    (unsigned long long)st->in, (unsigned long long)st->out, (unsigned long long)st->err,
                    in, rg_yields[d], rg_raises[d]);
        if (in + (unsigned long long)rg_starts[d] != rg_calls[d] + st->dropped)
            RG_FAIL("n%d: in %llu + starts %d != invocations %llu + dropped %llu",
                    d, in, rg_starts[d], rg_calls[d], (unsigned long long)st->dropped);
        if (rg_calls[d] < got || rg_calls[d] - got > (unsigned long long)rg_starts[d])
            RG_FAIL("n%d: %llu invocations, %llu items received, %d start items", d,
                    rg_calls[d], got, rg_starts[d]);
        if (!rg_halted && st->dropped != 0)
            RG_FAIL("n%d: %llu items dropped without a halt", d, (unsigned long long)st->dropped);
        snprintf(line, sizeof line, "INFO:agdf: n%d - in=%llu, out=%llu, err=%llu\n", d,
                 in, rg_yields[d], rg_raises[d]);
        if (rg_count_lines(log, line) != 1)
            RG_FAIL("n%d: no --stats line \"%.*s\"", d, (int)strlen(line) - 1, line);
        snprintf(line, sizeof line, "ERROR:agdf: n%d: boom ", d);
        if ((unsigned long long)rg_count_lines(log, line) != rg_raises[d])
            RG_FAIL("n%d: %d error lines logged, %llu raises", d, rg_count_lines(log, line), rg_raises[d]);
        raises += rg_raises[d];
    }
    if (rg_bad_src)
        RG_FAIL("%llu items with a bad source or value", rg_bad_src);
    if (rg_after_halt)
        RG_FAIL("%llu body steps ran after the halt", rg_after_halt);
    if (rg_count_lines(log, "ERROR:agdf: Pipeline execution halted") != rg_halted)
        RG_FAIL("halt line logged %d times, halted %d",
                rg_count_lines(log, "ERROR:agdf: Pipeline execution halted"), rg_halted);
    want_rc = rg_halted ? 3 : raises ? 1 : 0;
    if (rc != want_rc)
        RG_FAIL("exit status %d, want %d (raises %llu, halted %d)", rc, want_rc, raises, rg_halted);
    return fails;
}
