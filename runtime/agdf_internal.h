/*
** agdf_internal.h — what the runtime's own files share and nobody else may use:
** the task wait states, the ready queue, the graph clock and the hooks between
** the scheduler core (agdf.c), the error and logging code (agdf_log.c, the only
** part that formats log text), the tracer (agdf_trace.c, which writes the trace
** file), the offload pool (agdf_offload.c) and the threaded run (agdf_mt.c),
** the only parts that start threads.  Not installed.
*/
#ifndef AGDF_INTERNAL_H
#define AGDF_INTERNAL_H

#include "agdf.h"

#include <stdarg.h>

/* What a task waits for (agdf_task.wait; gdb: p (enum agdf__wait)t->wait). */
enum agdf__wait {
    AGDF__W_NONE,       /* idle before its first resumption (a running task keeps its last state) */
    AGDF__W_READY,      /* in the ready queue */
    AGDF__W_POLL,       /* in the ready queue, re-checking an AGDF_AWAIT condition */
    AGDF__W_TAKE,       /* in a queue's line of consumers */
    AGDF__W_PUT,        /* in a queue's line of producers */
    AGDF__W_TIMER,      /* in the timer heap */
    AGDF__W_FD,         /* in the fd wait list */
    AGDF__W_OFFLOAD     /* with the offload pool */
};

/* The flags other threads set (agdf_post, agdf_stop) are read without a lock
** on the scheduler's hot path: relaxed atomic accesses (plain moves on common
** targets; the data they announce is published under the post lock). */
/* The _SC forms are sequentially consistent: agdf_stop and agdf__wake_close
** order the wake pipe's descriptor and the count of stops writing to it. */
#if defined(__GNUC__) || defined(__clang__)
#define AGDF__LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define AGDF__STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define AGDF__LOAD_SC(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define AGDF__STORE_SC(x, v) __atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)
#define AGDF__ADD_SC(x, v) ((void)__atomic_add_fetch(&(x), (v), __ATOMIC_SEQ_CST))
#else
#define AGDF__LOAD(x) (x)
#define AGDF__STORE(x, v) ((x) = (v))
#define AGDF__LOAD_SC(x) (x)
#define AGDF__STORE_SC(x, v) ((x) = (v))
#define AGDF__ADD_SC(x, v) ((void)((x) += (v)))
#endif

/* The scheduler's per-item helpers, forced inline into their one or two
** callers whatever the compiler's growth limits. */
/* ... and the slow half of a hot path, kept out of it so that the hot
** half needs no register saves. */
#if defined(__GNUC__) || defined(__clang__)
#define AGDF__HOT static inline __attribute__((always_inline))
#define AGDF__APART static __attribute__((noinline))
#else
#define AGDF__HOT static inline
#define AGDF__APART static
#endif

/* agdf_node.fan: the node's yields may share one window among its
** destinations (agdf.c's fan_open), and its burst keeps a window in some of
** them (unwind_fan hands them back). */
#define AGDF__FAN_SHARE 1
#define AGDF__FAN_HELD 2

/* A deadline the graph clock never reaches: a sleep too long for the clock
** ("forever"); the clock saturates below it, never wraps. */
#define AGDF__NEVER INT64_MAX

void agdf__ready_push(agdf_graph *g, agdf_task *t);
int64_t agdf__clock(agdf_graph *g);            /* graph clock now, ns (reads the real clock) */
void agdf__halt(agdf_graph *g, const agdf_node *n);  /* stop processing; logs why */

int agdf__put(agdf_node *n, const void *item);  /* a queue put (rule 4); 0 if full */
void agdf__heap_rebuild(agdf_graph *g, uint32_t k); /* heap from its first k entries */
void agdf__finish(agdf_graph *g);              /* the run ends: queues dropped, pool joined */
void agdf__room_made(agdf_node *n);            /* a take made room in a full input */
void agdf__fd_unlink(agdf_graph *g, agdf_task *t, agdf_task *prev);  /* t leaves the fd list */
void agdf__take_back(agdf_node *n, uint32_t in);  /* in items of the window back to n's queue */
void agdf__burst_close(agdf_node *n);          /* the running burst's output windows handed back */

/* agdf.c's set-up and error pool, which agdf_mt.c's threads share */
void agdf__graph_init(agdf_graph *g, const agdf_graph_def *def, const agdf_graph_mem *mem);
void agdf__node_init(agdf_graph *g, uint32_t i, const agdf_node_mem *m);
void agdf__tasks_init(agdf_graph *g, agdf_node *n);   /* rule 1 for n's tasks */
void agdf__wake_taker(agdf_node *n);           /* rule 4 for a put: first consumer to ready */
void agdf__wake_putter(agdf_node *n);          /* rule 4 for a take: first producer to ready */
void agdf__error_record(agdf_graph *g, agdf_task *t, const char *file, int line,
                        const char *msg);      /* into g's pool (t may be another graph's) */

/* agdf_mt.c: a threaded run (docs/threads.md); g->part is set only during one */
agdf_status agdf__mt_run(agdf_graph *g);       /* agdf_run with several threads */
int agdf__mt_sync(agdf_graph *g);              /* a batch boundary: rings; 1: this thread ends */
void agdf__mt_halt(agdf_graph *g);             /* a halting raise: every thread stops */
void agdf__mt_record(agdf_graph *g, agdf_task *t, const char *file, int line,
                     const char *msg);         /* a raise into the main graph's pool */
void agdf__mt_kick(agdf_mt *mt);               /* agdf_stop: every sleeping thread wakes */
void agdf__mt_log_flow(agdf_graph *g);         /* a data-flow report over every thread */

/* agdf_life.c: inputs, on_close, stop */
int agdf__host_events(agdf_graph *g);          /* g->attn: stop, posts, room; 1: run ended */
int agdf__close_scan(agdf_graph *g);           /* start on_close blocks due; 1 if any */
void agdf__close_tick(agdf_graph *g);          /* between batches: a scan when it is due */
int agdf__stop_apply(agdf_graph *g);           /* a new stop request; 1: the run ended */
void agdf__wake_drain(agdf_graph *g);          /* empties the wake pipe */
void agdf__wake_close(agdf_graph *g);          /* the run ended: closes it */

/* agdf_log.c */
void agdf__log_flow(agdf_graph *g);            /* one periodic data-flow report */
void agdf__log_node(agdf_graph *g, const agdf_node *n);  /* its line for n (any record) */
int agdf__log_selected(const agdf_graph *g, const agdf_node *n);  /* in the report's filter */
void agdf__log_halt(agdf_graph *g, const agdf_node *n);
#define AGDF__ERROR_TEXT 256                   /* bytes of a raised message logged and traced */
void agdf__format_error(char *msg, const char *fmt, va_list ap);
void agdf__log_error(agdf_graph *g, const agdf_node *n, const char *msg, const char *file,
                     int line);
void agdf__await_deadlock(agdf_graph *g);      /* fail every poller: nothing can wake them */
void agdf__log_trace_failed(agdf_graph *g, const char *path, int err);  /* tracing stops */
int agdf__bad_return(agdf_task *t, int r, const char *file, int line);
                                               /* a body returned r, no known code */

/* agdf_mt.c: a runtime thread (th: a pthread_t), asynchronous signals blocked */
int agdf__thread_create(void *th, void *(*fn)(void *), void *arg);

/* agdf_offload.c (no-ops with AGDF_NO_OFFLOAD) */
void agdf__offload_init(agdf_graph *g, agdf_offload_slot *slots, uint32_t n);
uint32_t agdf__offload_cap(const agdf_graph *g);  /* worker slots agdf_init gave it */
void agdf__offload_collect(agdf_graph *g);     /* finished calls: tasks back to ready */
void agdf__offload_stop(agdf_graph *g);        /* end of run: drop queued jobs, join
                                                   idle workers, abandon busy ones */
void agdf__post_init(agdf_graph *g);           /* the post lock (agdf_input, host thread) */
void agdf__post_collect(agdf_graph *g);        /* inboxes into their queues, while room */
void agdf__post_close(agdf_graph *g, agdf_node *n);  /* n closed: posts refused */
void agdf__post_stop(agdf_graph *g);           /* end of run: inbox items dropped */

/* agdf_trace.c: each hook runs only when g->trace is set, so a graph without
** a trace pays one predictable branch per task switch (AGDF__TRACED). */
#ifndef AGDF_TRACE_CALLS
#define AGDF_TRACE_CALLS 64     /* offloaded calls held between two collections */
#endif
#define AGDF__TRACED(g, call) do { if ((g)->trace) call; } while (0)
void agdf__trace_begin(agdf_graph *g, const agdf_task *t);  /* a slice starts */
void agdf__trace_end(agdf_graph *g, const agdf_task *t);    /* ... and ends */
void agdf__trace_raise(agdf_graph *g, const agdf_task *t, const char *msg, const char *file,
                       int line, int halts);
int64_t agdf__trace_stamp(void);               /* raw monotonic ns (any thread) */
void agdf__trace_call(const agdf_task *t, unsigned worker, int64_t start, int64_t end);
                                               /* a worker's offloaded call: under the pool lock */
void agdf__trace_calls(agdf_graph *g);         /* the scheduler writes them: under the pool lock */
int agdf__trace_reinit(agdf_graph *g);         /* agdf_init, before clearing g: 1 if traced */
void agdf__trace_attach(agdf_graph *g);        /* ... after: the trace goes on */

#endif /* AGDF_INTERNAL_H */
