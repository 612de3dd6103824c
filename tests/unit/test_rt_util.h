/*
** test_rt_util.h — shared helpers of the runtime unit tests (test_rt_*.c): a
** static arena that carves a graph's storage from its agdf_graph_def exactly as
** the generated struct would declare it, capture buffers for what nodes print
** (say) and what the runtime logs, and the NODE() initialiser for hand-written
** agdf_node_def tables.  Node bodies in the tests are written the way agdfc
** writes them: `self` is the task struct, AGDF_OUT_MAKE builds the output item.
*/
#ifndef TEST_RT_UTIL_H
#define TEST_RT_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "agdf.h"

#define TG_MAX_NODES 16
#define TG_MAX_TASKS 64

/* NODE(name, body, task type, max_tasks, queue_size, item_size, halt, dst array):
** the body runs in the runtime's one drain loop (agdf__drain), the loop every
** generated program runs in; no on_close block. */
#define NODE(nm, fn, T, nt, qs, isz, halt, dsts) \
    { nm, fn, nt, sizeof(T), offsetof(T, agdf_in), offsetof(T, agdf_out), isz, qs, halt, \
      dsts, (uint32_t)(sizeof dsts / sizeof dsts[0]), NULL }
#define NO_DST ((const uint32_t *)0)
#define NODE0(nm, fn, T, nt, qs, isz, halt) \
    { nm, fn, nt, sizeof(T), offsetof(T, agdf_in), offsetof(T, agdf_out), isz, qs, halt, NO_DST, 0, NULL }

/* IN(self): the invocation's input item in a hand-written body(t, io), where
** the drain loop hands it (io->in: the queue slot, or agdf_in after a
** suspension), typed as the task's agdf_in. */
#define IN(self) (*(const __typeof__((self)->agdf_in) *)io->in)

/* TG_DRAIN(name, T, body, size): the name under which a test reaches body
** as "the generated path"; there is one drain loop, so it is body itself. */
#define TG_DRAIN(name, T, body, size)                                            \
    static int name(agdf_task *t, agdf_io *io)                                  \
    {                                                                           \
        return body(t, io);                                                     \
    }

static agdf_graph G;                                  /* the graph under test */
static union { unsigned char b[1 << 21]; long double a; void *p; } tg_arena;
static size_t tg_used;
static agdf_node tg_nodes[TG_MAX_NODES];
static agdf_node_mem tg_mem[TG_MAX_NODES];
static agdf_task *tg_timers[TG_MAX_TASKS];
static agdf_fdslot tg_fds[TG_MAX_TASKS];
static agdf_offload_slot tg_workers[TG_MAX_TASKS];    /* offload pool: one per task */

static char OUT[1 << 16];                             /* what nodes said */
static size_t out_n;
static char LOG[1 << 16];                             /* what the runtime logged */
static size_t log_n;

static inline void *tg_carve(size_t n)
{
    void *p;

    if (n == 0)
        return NULL;
    tg_used = (tg_used + 15) & ~(size_t)15;
    assert_true(tg_used + n <= sizeof tg_arena.b);
    p = tg_arena.b + tg_used;
    tg_used += n;
    return p;
}

static inline void say(const char *fmt, ...)
{
    va_list ap;
    int k;

    va_start(ap, fmt);
    k = vsnprintf(OUT + out_n, sizeof OUT - out_n, fmt, ap);
    va_end(ap);
    if (k > 0)
        out_n += (size_t)k;
    if (out_n + 1 < sizeof OUT)
        OUT[out_n++] = '\n';
    OUT[out_n] = '\0';
}

static void capture_log(void *ud, int level, const char *line)
{
    (void)ud;
    (void)level;
    log_n += (size_t)snprintf(LOG + log_n, sizeof LOG - log_n, "%s\n", line);
}

/* Sets up G over fresh storage carved from the arena, output buffers cleared. */
static void tg_init(const agdf_graph_def *def)
{
    agdf_graph_mem gm;
    uint32_t i, total = 0;

    assert_true(def->nnodes <= TG_MAX_NODES);
    tg_used = 0;
    out_n = log_n = 0;
    OUT[0] = LOG[0] = '\0';
    for (i = 0; i < def->nnodes; i++) {
        const agdf_node_def *nd = &def->nodes[i];
        memset(tg_carve(1), 0xa5, 1);                 /* storage is not pre-zeroed */
        tg_mem[i].tasks = tg_carve((size_t)nd->ntasks * nd->task_size);
        memset(tg_mem[i].tasks, 0x5a, (size_t)nd->ntasks * nd->task_size);
        tg_mem[i].queue = tg_carve((size_t)nd->queue_size * nd->item_size);
        total += nd->ntasks;
    }
    assert_true(total <= TG_MAX_TASKS);
    gm.nodes = tg_nodes;
    gm.node_mem = tg_mem;
    gm.timers = tg_timers;
    gm.fds = tg_fds;
    gm.errors = tg_carve(def->max_exceptions * sizeof(agdf_error));  /* the graph's pool */
    gm.workers = tg_workers;
    gm.nworkers = total;
    agdf_init(&G, def, &gm);
    agdf_set_logger(&G, capture_log, NULL);
}

static inline void expect_stats(uint32_t node, uint64_t in, uint64_t out, uint64_t err)
{
    const agdf_stats *st = agdf_node_stats(&G, node);

    assert_non_null(st);
    if (st->in != in || st->out != out || st->err != err)
        print_error("node %s: in=%llu out=%llu err=%llu, want %llu %llu %llu\n",
                    agdf_node_name(&G, node), (unsigned long long)st->in,
                    (unsigned long long)st->out, (unsigned long long)st->err,
                    (unsigned long long)in, (unsigned long long)out, (unsigned long long)err);
    assert_true(st->in == in && st->out == out && st->err == err);
}

/* A word item, as the examples use. */
typedef struct { char s[24]; } word;

static inline word mkword(const char *s)
{
    word w;
    memset(&w, 0, sizeof w);
    snprintf(w.s, sizeof w.s, "%s", s);
    return w;
}

#endif /* TEST_RT_UTIL_H */
