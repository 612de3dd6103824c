/*
** runtime_idle.c — does the scheduler's cost per item grow with idle nodes?  A
** hand-written graph (the way agdfc generates one): an 8-node chain passing ints
** (source -> 6 forwarders -> sink), N items, run alone and then beside 10,000
** idle nodes (one task each, never fed).  Prints ns per item for both and their
** ratio; docs/runtime.md ("Cost") wants them equal: within 10%.
**
**   sh bench/runtime_idle.sh [N [QUEUE]]      (builds build/runtime_idle with cc -O2
**   from bench/runtime_idle.c and runtime's .c files, -lpthread, then runs it)
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agdf.h"

#define CHAIN 8
#define IDLE 10000
#define MAXN (CHAIN + IDLE)
#define MAXQ 4096

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; long i; } src_task;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; } fwd_task;
typedef struct { agdf_task agdf; int agdf_in; char agdf_out; } sink_task;

static long n_items = 5000000;
static long long sink_sum;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int src_body(agdf_task *t, agdf_io *io)
{
    src_task *self = (src_task *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < n_items; self->i++)
        AGDF_YIELD((int)self->i);
    AGDF_END(self);
}

static int fwd_body(agdf_task *t, agdf_io *io)
{
    fwd_task *self = (fwd_task *)(void *)t;
    int v = *(const int *)io->in;
    AGDF_BEGIN(self);
    AGDF_YIELD(v + 1);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

#define AGDF_OUT_MAKE() ((char)0)
static int sink_body(agdf_task *t, agdf_io *io)
{
    sink_task *self = (sink_task *)(void *)t;
    sink_sum += *(const int *)io->in;
    AGDF_BEGIN(self);
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

/* storage, as a generated graph struct would declare it */
static agdf_node_def defs[MAXN];
static uint32_t next_of[MAXN];
static src_task src_mem;
static fwd_task fwd_mem[CHAIN - 2];
static sink_task sink_mem;
static fwd_task idle_mem[IDLE];
static int queues[CHAIN][MAXQ];
static int idle_queues[IDLE];
static agdf_node nodes[MAXN];
static agdf_node_mem node_mem[MAXN];
static agdf_task *timers[MAXN];
static agdf_fdslot fds[MAXN];
static agdf_graph g;

static void def_node(uint32_t i, const char *name, agdf_body_fn fn, size_t tsz, size_t in,
                     size_t out, size_t isz, uint32_t q, int has_next)
{
    agdf_node_def d = {name, fn, 1, tsz, in, out, isz, q, -1, NULL, 0, NULL};
    if (has_next) {
        next_of[i] = i + 1;
        d.dst = &next_of[i];
        d.ndst = 1;
    }
    defs[i] = d;
}

static void build(uint32_t nidle, uint32_t q)
{
    uint32_t i;

    def_node(0, "src", src_body, sizeof(src_task), offsetof(src_task, agdf_in),
             offsetof(src_task, agdf_out), 0, q, 1);
    node_mem[0].tasks = &src_mem;
    for (i = 1; i < CHAIN - 1; i++) {
        def_node(i, "fwd", fwd_body, sizeof(fwd_task), offsetof(fwd_task, agdf_in),
                 offsetof(fwd_task, agdf_out), sizeof(int), q, 1);
        node_mem[i].tasks = &fwd_mem[i - 1];
    }
    def_node(CHAIN - 1, "sink", sink_body, sizeof(sink_task), offsetof(sink_task, agdf_in),
             offsetof(sink_task, agdf_out), sizeof(int), q, 0);
    node_mem[CHAIN - 1].tasks = &sink_mem;
    for (i = 0; i < CHAIN; i++)
        node_mem[i].queue = queues[i];
    for (i = 0; i < nidle; i++) {
        def_node(CHAIN + i, "idle", fwd_body, sizeof(fwd_task), offsetof(fwd_task, agdf_in),
                 offsetof(fwd_task, agdf_out), sizeof(int), 1, 0);
        node_mem[CHAIN + i].tasks = &idle_mem[i];
        node_mem[CHAIN + i].queue = &idle_queues[i];
    }
}

static double run_once(uint32_t nidle, uint32_t q)
{
    agdf_graph_def gd = {"bench", CHAIN + nidle, defs, 0, 0};
    agdf_graph_mem gm = {.nodes = nodes, .node_mem = node_mem, .timers = timers, .fds = fds};
    struct timespec a, b;

    build(nidle, q);
    agdf_init(&g, &gd, &gm);
    agdf_start(&g, 0, NULL);
    sink_sum = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (agdf_run(&g) != AGDF_OK || agdf_node_stats(&g, CHAIN - 1)->in != (uint64_t)n_items) {
        fprintf(stderr, "runtime_idle: wrong result\n");
        exit(1);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)n_items;
}

/* Best of `reps` runs of each, alternated so that machine noise hits both alike. */
static void best_of(int reps, uint32_t q, double *alone, double *crowd)
{
    int r;

    *alone = *crowd = 1e30;
    for (r = 0; r < reps; r++) {
        double a = run_once(0, q), c = run_once(IDLE, q);
        if (a < *alone)
            *alone = a;
        if (c < *crowd)
            *crowd = c;
    }
}

int main(int argc, char **argv)
{
    uint32_t q = 256;
    double alone, crowd;

    if (argc > 1)
        n_items = atol(argv[1]);
    if (argc > 2)
        q = (uint32_t)atol(argv[2]);
    if (n_items <= 0 || q < 1 || q > MAXQ) {
        fprintf(stderr, "usage: %s [ITEMS [QUEUE_SIZE<=%d]]\n", argv[0], MAXQ);
        return 2;
    }
    best_of(9, q, &alone, &crowd);
    printf("runtime_idle: %d-node chain, %ld items, queue_size %u\n", CHAIN, n_items, (unsigned)q);
    printf("  alone:                 %.2f ns/item (%.2f ns/item/edge)\n", alone, alone / (CHAIN - 1));
    printf("  beside %d idle nodes: %.2f ns/item (%.2f ns/item/edge)\n", IDLE, crowd,
           crowd / (CHAIN - 1));
    printf("  ratio: %.3f\n", crowd / alone);
    return 0;
}
