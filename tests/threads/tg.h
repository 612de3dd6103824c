/*
** tg.h — the bookkeeping of the random threaded graphs of tests/threads/,
** included by each graph's %{ %} block after the graph has defined TG_N (its
** node count), tg_dst (each node's destinations, -1 terminated), tg_starts
** (start items per node), tg_want (per node: invocations, yields, raises of a
** run without a halt, as tests/threads/gen.py simulated them) and
** tg_want_edge (per edge [src][dst]: items and checksum of such a run).
** Bodies run on several threads at once (a spread node's tasks even on
** several threads for one node), so every counter is updated with relaxed
** atomics: they are read only after the run, when the threads are joined.
**
** tg_check(), called by tests/threads/tg_main.c once the generated main()
** returned, holds the run to exact conservation and exact statistics and
** writes a report whose lines must be identical between a single-threaded
** build and a threaded one (tests/threads/run.sh compares them).
*/
#include <stdio.h>
#include <string.h>

#define TG_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_RELAXED)
#define TG_GET(p) __atomic_load_n((p), __ATOMIC_RELAXED)

typedef struct tg_flow {
    unsigned long long cnt;      /* items */
    unsigned long long sum;      /* checksum of their values (wraps, on purpose) */
} tg_flow;

typedef struct tg_counts {
    unsigned long long calls;    /* invocations (items taken) */
    unsigned long long yields;   /* AGDF_YIELDs */
    unsigned long long raises;   /* AGDF_RAISEs */
} tg_counts;

static tg_flow tg_sent[TG_N][TG_N];        /* [src][dst], counted at the yield */
static tg_flow tg_recv[TG_N][TG_N];        /* [src][dst], counted at body entry */
static tg_counts tg_did[TG_N];             /* what each node did */
static unsigned tg_seq[TG_N];              /* next sequence number per node */
static unsigned long long tg_bad;          /* items with a bad source, value or padding */
static int tg_halted;                      /* a halting raise happened */
static unsigned long long tg_spin_sink;    /* keeps tg_spin's arithmetic alive */

/* A value that depends on who sent it and when: corruption shows in sums.
** tests/threads/gen.py computes the same function. */
static unsigned tg_value(int node, unsigned seq)
{
    unsigned x = (unsigned)node * 2654435761u ^ (seq + 0x9e3779b9u) * 40503u;
    return x ^ (x >> 13);
}

/* At body entry: counts the item; returns the node's invocation index. */
static unsigned long long tg_enter(int me, int src, unsigned seq, unsigned val)
{
    unsigned long long k = TG_ADD(&tg_did[me].calls, 1ull);
    if (src < 0)
        return k;                            /* a start item */
    if (src >= TG_N || val != tg_value(src, seq)) {
        TG_ADD(&tg_bad, 1ull);
        return k;
    }
    TG_ADD(&tg_recv[src][me].cnt, 1ull);
    TG_ADD(&tg_recv[src][me].sum, (unsigned long long)val);
    return k;
}

/* Counts one yield of `me` on each of its edges; returns its sequence number. */
static unsigned tg_send(int me)
{
    unsigned seq = TG_ADD(&tg_seq[me], 1u);
    const int *d;

    TG_ADD(&tg_did[me].yields, 1ull);
    for (d = tg_dst[me]; *d >= 0; d++) {
        TG_ADD(&tg_sent[me][*d].cnt, 1ull);
        TG_ADD(&tg_sent[me][*d].sum, (unsigned long long)tg_value(me, seq));
    }
    return seq;
}

static void tg_raise(int me, int halts)
{
    TG_ADD(&tg_did[me].raises, 1ull);
    if (halts)
        __atomic_store_n(&tg_halted, 1, __ATOMIC_RELAXED);
}

/* CPU work proportional to n: makes threads overlap for real. */
static void tg_spin(unsigned v, unsigned n)
{
    unsigned long long x = v;
    unsigned i;
    for (i = 0; i < n; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    TG_ADD(&tg_spin_sink, x);
}

#define TG_FAIL(...) (fprintf(rep, "FAIL "), fprintf(rep, __VA_ARGS__), fprintf(rep, "\n"), fails++)

/* Checks a finished run of graph g (the main graph: after a threaded run its
** statistics are the sums over the threads) that exited with rc, writes the
** report to rep; returns the number of failed checks. */
static int tg_check(agdf_graph *g, int rc, FILE *rep, uint32_t max_exceptions)
{
    int fails = 0, s, d, want_rc;
    unsigned long long raises = 0, records = 0;

    (void)tg_raise;                          /* not every graph raises */
    (void)tg_spin;                           /* nor spins */

    for (d = 0; d < TG_N; d++) {
        const agdf_stats *st = agdf_node_stats(g, (uint32_t)d);
        unsigned long long in = 0;
        uint32_t k;
        for (s = 0; s < TG_N; s++) {
            if (tg_recv[s][d].cnt > tg_sent[s][d].cnt)
                TG_FAIL("edge n%d -> n%d: received %llu > sent %llu", s, d,
                        tg_recv[s][d].cnt, tg_sent[s][d].cnt);
            in += tg_sent[s][d].cnt;
            if (tg_halted)
                continue;
            if (tg_sent[s][d].cnt != tg_recv[s][d].cnt || tg_sent[s][d].sum != tg_recv[s][d].sum)
                TG_FAIL("edge n%d -> n%d: sent %llu (sum %llu), received %llu (sum %llu)", s, d,
                        tg_sent[s][d].cnt, tg_sent[s][d].sum, tg_recv[s][d].cnt, tg_recv[s][d].sum);
            if (tg_recv[s][d].cnt != tg_want_edge[s][d].cnt || tg_recv[s][d].sum != tg_want_edge[s][d].sum)
                TG_FAIL("edge n%d -> n%d: received %llu (sum %llu), simulated %llu (sum %llu)", s, d,
                        tg_recv[s][d].cnt, tg_recv[s][d].sum, tg_want_edge[s][d].cnt, tg_want_edge[s][d].sum);
            if (tg_recv[s][d].cnt)
                fprintf(rep, "edge n%d -> n%d: %llu items, sum %llu\n", s, d,
                        tg_recv[s][d].cnt, tg_recv[s][d].sum);
        }
        if (st->in != in || st->out != tg_did[d].yields || st->err != tg_did[d].raises)
            TG_FAIL("n%d: stats in=%llu out=%llu err=%llu, counted in=%llu out=%llu err=%llu", d,
                    (unsigned long long)st->in, (unsigned long long)st->out,
                    (unsigned long long)st->err, in, tg_did[d].yields, tg_did[d].raises);
        if (in + (unsigned long long)tg_starts[d] != tg_did[d].calls + st->dropped)
            TG_FAIL("n%d: in %llu + starts %d != invocations %llu + dropped %llu", d, in,
                    tg_starts[d], tg_did[d].calls, (unsigned long long)st->dropped);
        if (!tg_halted && (st->dropped != 0 || tg_did[d].calls != tg_want[d].calls ||
                           tg_did[d].yields != tg_want[d].yields || tg_did[d].raises != tg_want[d].raises))
            TG_FAIL("n%d: invocations %llu yields %llu raises %llu dropped %llu, simulated %llu %llu %llu 0",
                    d, tg_did[d].calls, tg_did[d].yields, tg_did[d].raises,
                    (unsigned long long)st->dropped, tg_want[d].calls, tg_want[d].yields,
                    tg_want[d].raises);
        for (k = 0; k < agdf_error_count(g, (uint32_t)d); k++) {
            const agdf_error *e = agdf_error_at(g, (uint32_t)d, k);
            if (!e || e->node != (uint32_t)d || strncmp(e->msg, "boom ", 5) != 0)
                TG_FAIL("n%d: error record %u is not one of its raises", d, (unsigned)k);
        }
        records += agdf_error_count(g, (uint32_t)d);
        raises += tg_did[d].raises;
        if (!tg_halted)
            fprintf(rep, "node n%d: in=%llu out=%llu err=%llu invocations=%llu\n", d, in,
                    tg_did[d].yields, tg_did[d].raises, tg_did[d].calls);
    }
    if (records != (raises < max_exceptions ? raises : max_exceptions))
        TG_FAIL("%llu error records kept, %llu raises, max_exceptions %u", records, raises,
                (unsigned)max_exceptions);
    if (tg_bad)
        TG_FAIL("%llu items with a bad source, value or padding", tg_bad);
    want_rc = tg_halted ? 3 : raises ? 1 : 0;
    if (rc != want_rc)
        TG_FAIL("exit status %d, want %d (raises %llu, halted %d)", rc, want_rc, raises, tg_halted);
    fprintf(rep, "exit status %d\n", rc);
    return fails;
}
