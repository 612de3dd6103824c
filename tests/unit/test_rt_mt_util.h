/*
** test_rt_mt_util.h — what the threaded runtime tests (test_rt_mt*.c) share:
** node tables built at run time (queue sizes, task counts and placements vary
** per case), the threads storage agdfc would declare for a graph compiled
** with `threads = 4` (agdf_mt_mem: partitions, per-thread node records and
** tables, timers, fds, offload slots, one ring per edge and producer thread
** with its storage, replica queues, the placement), and per-node sums of the
** items each invocation saw, so a test checks conservation on every edge.
*/
#ifndef TEST_RT_MT_UTIL_H
#define TEST_RT_MT_UTIL_H

#include "test_rt_util.h"

#define MT_TMAX 4                                     /* threads_max of the storage */
#define MT_MAX_RINGS 256

static agdf_node_def ND[TG_MAX_NODES];                /* the graph under test */
static uint32_t DST[TG_MAX_NODES][4];
static agdf_node_place PL[TG_MAX_NODES];
static agdf_graph_def GD;

static agdf_mt MT;
static agdf_part PARTS[MT_TMAX];
static agdf_node MT_NODES[(MT_TMAX - 1) * TG_MAX_NODES];
static agdf_node_def MT_DEFS[MT_TMAX * TG_MAX_NODES];
static agdf_task *MT_TIMERS[(MT_TMAX - 1) * TG_MAX_TASKS];
static agdf_fdslot MT_FDS[(MT_TMAX - 1) * (TG_MAX_TASKS + 1)];
static agdf_offload_slot MT_WORKERS[(MT_TMAX - 1) * TG_MAX_TASKS];
static agdf_ring MT_RINGS[MT_MAX_RINGS];
static size_t MT_RING_OFF[MT_MAX_RINGS];
static size_t MT_QUEUE_OFF[TG_MAX_NODES * (MT_TMAX - 1)];
static uint32_t MT_TT[TG_MAX_TASKS];
static uint32_t MT_SCRATCH[AGDF_PLACE_SCRATCH(TG_MAX_NODES)];
static agdf_mt_def MT_DEF;

/* The runs' slice of work in ns (agdf_mt.c's slices), 0: the runtime's own. */
static uint32_t MT_SLICE_NS;

/* What each node's invocations saw (written by its thread, read after the run). */
static uint64_t SUM[TG_MAX_NODES];
static uint64_t CNT[TG_MAX_NODES];

/* Node i: name, body, task type, max_tasks, queue_size, 4-byte items, placed
** on `thread` (-1: automatic), destinations listed after. */
#define MT_NODE(i, nm, fn, T, nt, qs, thread, ...)                              \
    mt_node(i, nm, fn, sizeof(T), offsetof(T, agdf_in), offsetof(T, agdf_out), \
            nt, qs, thread, (const uint32_t[]){__VA_ARGS__},                    \
            (uint32_t)(sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t)))

#define MT_NONE UINT32_MAX                            /* MT_NODE's list: no destination */

static inline void mt_node(uint32_t i, const char *nm, agdf_body_fn fn, size_t tsz, size_t in_off,
                           size_t out_off, uint32_t nt, uint32_t qs, int thread,
                           const uint32_t *dst, uint32_t ndst)
{
    agdf_node_def d;
    uint32_t k;

    memset(&d, 0, sizeof d);
    d.name = nm;
    d.body = fn;
    d.ntasks = nt;
    d.task_size = tsz;
    d.in_offset = in_off;
    d.out_offset = out_off;
    d.item_size = sizeof(uint32_t);
    d.queue_size = qs;
    d.halt_on_exception = -1;
    d.dst = DST[i];
    for (k = 0; k < ndst && dst[k] != MT_NONE; k++)
        DST[i][k] = dst[k];
    d.ndst = k;
    ND[i] = d;
    PL[i].thread = thread;
    PL[i].weight = 1;
    PL[i].spread = 0;
}

/* G over nn nodes of ND, with the threads storage for MT_TMAX threads, set to
** run on n; SUM and CNT cleared. */
static inline void mt_graph(uint32_t nn, uint32_t max_exceptions, uint32_t n)
{
    uint32_t i, k, nedges = 0, nspread = 0, sedges = 0, ri = 0, qi = 0;
    unsigned char *base = tg_arena.b;

    GD.name = "mt";
    GD.nnodes = nn;
    GD.nodes = ND;
    GD.halt_on_exception = 0;
    GD.max_exceptions = max_exceptions;
    tg_init(&GD);
    memset(SUM, 0, sizeof SUM);
    memset(CNT, 0, sizeof CNT);
    for (i = 0; i < nn; i++) {
        nedges += ND[i].ndst;
        nspread += PL[i].spread;
        sedges += PL[i].spread ? ND[i].ndst : 0;
    }
    for (i = 0; i < nn; i++) {                        /* the edge rings, agdf.h's order */
        uint32_t per = PL[i].spread ? MT_TMAX : 1;
        for (k = 0; k < ND[i].ndst * per; k++, ri++) {
            const agdf_node_def *d = &ND[DST[i][k / per]];
            MT_RING_OFF[ri] = (size_t)((unsigned char *)tg_carve((size_t)d->queue_size *
                                                                 d->item_size) - base);
        }
    }
    for (i = 0; i < nn; i++) {                        /* balancing rings, replica queues */
        if (!PL[i].spread)
            continue;
        for (k = 1; k < MT_TMAX; k++, ri++, qi++) {
            MT_RING_OFF[ri] = (size_t)((unsigned char *)tg_carve((size_t)ND[i].queue_size *
                                                                 ND[i].item_size) - base);
            MT_QUEUE_OFF[qi] = (size_t)((unsigned char *)tg_carve((size_t)ND[i].queue_size *
                                                                  ND[i].item_size) - base);
        }
    }
    assert_true(ri <= MT_MAX_RINGS);
    assert_int_equal(ri, AGDF_MT_RINGS(sedges, nedges, nspread, MT_TMAX));
    MT_DEF.threads = n;
    MT_DEF.threads_max = MT_TMAX;
    MT_DEF.place = PL;
    MT_DEF.nedges = nedges;
    MT_DEF.nrings = ri;
    {
        agdf_mt_mem m = {&MT, PARTS, MT_NODES, MT_DEFS, MT_TIMERS, MT_FDS, MT_WORKERS,
                         MT_RINGS, MT_RING_OFF, MT_QUEUE_OFF, MT_TT, MT_SCRATCH, base};
        agdf_mt_init(&G, &MT_DEF, &m);
    }
    if (MT_SLICE_NS)
        MT.slice_ns = MT_SLICE_NS;
    assert_int_equal(agdf_threads(&G), n);
}

/* Every node's counters, and the per-node conservation the runtime promises:
** in + started == invocations + dropped (inv: invocations the test counted). */
static inline void mt_expect(uint32_t node, uint64_t in, uint64_t out, uint64_t err,
                             uint64_t dropped)
{
    const agdf_stats *st = agdf_node_stats(&G, node);

    expect_stats(node, in, out, err);
    if (st->dropped != dropped)
        print_error("node %s: dropped=%llu, want %llu\n", agdf_node_name(&G, node),
                    (unsigned long long)st->dropped, (unsigned long long)dropped);
    assert_true(st->dropped == dropped);
}

#endif /* TEST_RT_MT_UTIL_H */
