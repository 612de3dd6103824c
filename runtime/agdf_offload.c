/*
** agdf_offload.c — the blocking-call pool behind AGDF_OFFLOAD: POSIX threads,
** started on demand (one more whenever a call is queued and no worker is idle,
** up to the graph's offload_threads), take jobs (the waiting tasks themselves,
** linked through task->next) from a mutex-guarded FIFO, run fn(arg) and put the
** task on a done list.  A worker wakes the scheduler through the graph's one
** wake pipe (agdf_wake_fd, also written by agdf_stop and agdf_post), polled
** with the fd waiters, writing one byte only when no wake-up is pending since
** the last collection (both ends are non-blocking, so no worker ever blocks
** while holding the lock, however many calls finish in one batch).  The scheduler
** collects finished tasks in completion order and puts them at the back of the
** ready queue (rule 6).  A run that ends with calls still running (a halt)
** abandons their workers instead of joining them: see agdf__offload_stop.  The
** pool's state lives in the graph (agdf_graph.pool, opaque in the header), its
** per-thread slots in storage the caller gives agdf_init.  -DAGDF_NO_OFFLOAD
** builds the stubs only, for targets without threads.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#ifdef AGDF_NO_OFFLOAD

void agdf__offload_init(agdf_graph *g, agdf_offload_slot *slots, uint32_t n)
{
    (void)g;
    (void)slots;
    (void)n;
}
int agdf_set_offload_threads(agdf_graph *g, uint32_t n) { (void)g; return n ? -1 : 0; }
uint32_t agdf_offload_threads(const agdf_graph *g) { (void)g; return 0; }
uint32_t agdf__offload_cap(const agdf_graph *g) { (void)g; return 0; }
void agdf__offload_collect(agdf_graph *g) { (void)g; }
void agdf__offload_stop(agdf_graph *g) { (void)g; }
void agdf__post_init(agdf_graph *g) { (void)g; }
void agdf__post_collect(agdf_graph *g) { (void)g; }
void agdf__post_close(agdf_graph *g, agdf_node *n) { (void)g; n->open = 0; }
void agdf__post_stop(agdf_graph *g) { (void)g; }
int agdf_post(agdf_graph *g, uint32_t node, const void *item)
{
    (void)g; (void)node; (void)item;
    return -1;
}

#else

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

/* What a worker keeps on its own stack: the only memory it touches once its
** call returns until it knows it still belongs to a live pool. */
typedef struct worker_rec {
    int abandoned;               /* set under abandon_mu: exit, touch nothing */
} worker_rec;

/* One worker's slot (the caller's agdf_offload_slot storage). */
typedef struct worker_slot {
    pthread_t th;                /* the thread */
    struct agdf__pool *pool;     /* its pool */
    worker_rec *rec;             /* its stack record, set before it takes a job */
    int busy;                    /* running a call (under pool mu) */
} worker_slot;

typedef struct agdf__pool {
    pthread_mutex_t mu;          /* guards jobs, done, stop, idle, busy, wake_pending */
    pthread_cond_t cv;           /* signalled when a job arrives or on stop */
    worker_slot *slots;          /* the caller's storage, cap entries */
    uint32_t cap;                /* slots given to agdf_init */
    uint32_t limit;              /* threads allowed (agdf_set_offload_threads) */
    uint32_t nth;                /* workers started */
    uint32_t idle;               /* workers waiting for a job */
    uint32_t njobs;              /* calls queued, not yet taken */
    int started;                 /* pipe and locks set up for this run */
    int stop;                    /* workers must exit */
    int wake_pending;            /* a byte was written since the last collection */
    int wake_wr;                 /* the graph's wake pipe, write end, for this run */
    agdf_task *jobs;             /* FIFO of tasks whose call has not started */
    agdf_task *jobs_tail;        /* ... tail */
    agdf_task *done;             /* FIFO of tasks whose call finished */
    agdf_task *done_tail;        /* ... tail */
    pthread_mutex_t post_mu;     /* guards the inboxes, open of inputs, post_closed */
    int post_ready;              /* post_mu initialised (agdf_input, host thread) */
    int post_closed;             /* the run ended: posts refused */
} agdf__pool;

/* The opaque storage must hold the pool and a slot (C99 static assertions). */
typedef char agdf__pool_fits[sizeof(agdf__pool) <= sizeof(agdf__pool_mem) ? 1 : -1];
typedef char agdf__slot_fits[sizeof(worker_slot) <= sizeof(agdf_offload_slot) ? 1 : -1];

/* Orders a worker's "is my call abandoned?" check against a halt's abandoning:
** the pool's own mutex may be destroyed (and the graph re-initialised) once a
** worker is abandoned, so the check cannot rely on it. */
static pthread_mutex_t abandon_mu = PTHREAD_MUTEX_INITIALIZER;

static agdf__pool *pool_of(agdf_graph *g)
{
    return (agdf__pool *)(void *)g->pool.bytes;
}

static void fifo_push(agdf_task **head, agdf_task **tail, agdf_task *t)
{
    t->next = NULL;
    if (*tail)
        (*tail)->next = t;
    else
        *head = t;
    *tail = t;
}

/* After a call returns: 0 with the pool's mutex held when the worker still
** belongs to it, -1 (no lock held, nothing touched) when it was abandoned. */
static int reattach(worker_slot *s, worker_rec *rec)
{
    pthread_mutex_lock(&abandon_mu);
    if (rec->abandoned) {
        pthread_mutex_unlock(&abandon_mu);
        return -1;
    }
    pthread_mutex_lock(&s->pool->mu);
    pthread_mutex_unlock(&abandon_mu);
    return 0;
}

/* One wake-up byte per collection from the pool: the write cannot block
** (O_NONBLOCK), and a full pipe already wakes the scheduler. */
static void wake_scheduler(agdf__pool *p)
{
    char one = 1;

    if (p->wake_pending)
        return;
    p->wake_pending = 1;
    while (write(p->wake_wr, &one, 1) < 0 && errno == EINTR)
        ;
}

/* A traced graph's calls are timed here and handed to agdf_trace.c under the
** lock (g->trace changes only between runs; an abandoned worker reports
** nothing).  A worker's trace track is its slot index. */
static void *worker(void *arg)
{
    worker_slot *s = arg;
    agdf__pool *p = s->pool;
    worker_rec rec = { 0 };
    unsigned id = (unsigned)(s - p->slots);

    pthread_mutex_lock(&p->mu);
    s->rec = &rec;
    for (;;) {
        agdf_task *t;
        agdf_offload_fn fn;
        void *a;
        int64_t t0 = 0, t1 = 0;
        int traced;
        while (!p->jobs && !p->stop) {
            p->idle++;
            pthread_cond_wait(&p->cv, &p->mu);
            p->idle--;
        }
        if (!p->jobs)
            break;
        t = p->jobs;
        p->jobs = t->next;
        if (!p->jobs)
            p->jobs_tail = NULL;
        p->njobs--;
        fn = t->w.off.fn;
        a = t->w.off.arg;
        traced = t->node->graph->trace != NULL;
        s->busy = 1;
        pthread_mutex_unlock(&p->mu);
        if (traced)
            t0 = agdf__trace_stamp();
        fn(a);
        if (traced)
            t1 = agdf__trace_stamp();
        if (reattach(s, &rec) != 0)
            return NULL;            /* the run ended without us: t is not ours */
        s->busy = 0;
        if (traced)
            agdf__trace_call(t, id, t0, t1);
        fifo_push(&p->done, &p->done_tail, t);
        wake_scheduler(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void agdf__offload_init(agdf_graph *g, agdf_offload_slot *slots, uint32_t n)
{
    agdf__pool *p = pool_of(g);

    p->slots = (worker_slot *)(void *)slots;
    p->cap = slots ? n : 0;
    p->limit = p->cap;
}

int agdf_set_offload_threads(agdf_graph *g, uint32_t n)
{
    agdf__pool *p = pool_of(g);

    if (n > p->cap || p->started || g->running || g->finished)
        return -1;
    p->limit = n;
    return 0;
}

uint32_t agdf_offload_threads(const agdf_graph *g)
{
    return ((const agdf__pool *)(const void *)g->pool.bytes)->limit;
}

uint32_t agdf__offload_cap(const agdf_graph *g)
{
    return ((const agdf__pool *)(const void *)g->pool.bytes)->cap;
}

/* The pool wakes the scheduler through the graph's wake pipe, which lives
** until the run's end (agdf__finish closes it after agdf__offload_stop). */
static int pool_start(agdf_graph *g, agdf__pool *p)
{
    if (agdf_wake_fd(g) < 0)
        return -1;
    p->wake_wr = g->wake_wr;
    p->stop = p->wake_pending = 0;
    p->nth = p->idle = p->njobs = 0;
    p->jobs = p->jobs_tail = p->done = p->done_tail = NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->started = 1;
    return 0;
}

/* One more worker when every started one is busy (under mu); 0, or -1 when the
** system refused the thread (then the call waits for a running worker). */
static int pool_grow(agdf__pool *p)
{
    worker_slot *s;

    if (p->njobs <= p->idle || p->nth >= p->limit)
        return 0;
    s = &p->slots[p->nth];
    s->pool = p;
    s->rec = NULL;
    s->busy = 0;
    if (agdf__thread_create(&s->th, worker, s) != 0)   /* signals blocked */
        return -1;
    p->nth++;
    return 0;
}

int agdf__offload(agdf_task *t, agdf_offload_fn fn, void *arg, const char *file, int line)
{
    agdf_graph *g = t->node->graph;
    agdf__pool *p = pool_of(g);
    int refused;

    if (p->limit == 0)
        return agdf__raise(t, file, line,
                           "AGDF_OFFLOAD: the graph has no offload threads (offload_threads = 0)");
    if (!p->started && pool_start(g, p) != 0)
        return agdf__raise(t, file, line, "AGDF_OFFLOAD: cannot create the pool's wake-up pipe");
    pthread_mutex_lock(&p->mu);
    p->njobs++;
    refused = pool_grow(p);
    if (refused && p->nth == 0) {
        p->njobs--;
        pthread_mutex_unlock(&p->mu);
        return agdf__raise(t, file, line, "AGDF_OFFLOAD: cannot start an offload thread");
    }
    t->wait = AGDF__W_OFFLOAD;
    t->w.off.fn = fn;
    t->w.off.arg = arg;
    fifo_push(&p->jobs, &p->jobs_tail, t);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    g->noffload++;
    return -1;
}

/* The caller drained the wake pipe first (agdf__wake_drain); then the list
** is taken and wake_pending cleared under the lock: a call finishing after
** that writes a new byte, so none is missed. */
void agdf__offload_collect(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    agdf_task *t, *next;

    if (!p->started)
        return;
    pthread_mutex_lock(&p->mu);
    t = p->done;
    p->done = p->done_tail = NULL;
    p->wake_pending = 0;
    AGDF__TRACED(g, agdf__trace_calls(g));
    pthread_mutex_unlock(&p->mu);
    for (; t; t = next) {
        next = t->next;
        g->noffload--;
        agdf__ready_push(g, t);
    }
}

/* End of a run.  Calls not yet started are dropped; a worker still inside a
** call (only after a halt: a quiescent run has none) is abandoned, never
** joined, since the call may never return: its thread is detached, and when
** the call returns it exits without touching the graph (its task is never
** resumed).  Idle workers are joined.  The pool can then start afresh. */
void agdf__offload_stop(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    uint32_t i;

    if (!p->started)
        return;
    pthread_mutex_lock(&abandon_mu);
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    p->jobs = p->jobs_tail = NULL;
    p->njobs = 0;
    for (i = 0; i < p->nth; i++) {
        if (p->slots[i].busy)
            p->slots[i].rec->abandoned = 1;
    }
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&abandon_mu);
    for (i = 0; i < p->nth; i++) {
        if (p->slots[i].busy)
            pthread_detach(p->slots[i].th);
        else
            pthread_join(p->slots[i].th, NULL);
    }
    AGDF__TRACED(g, agdf__trace_calls(g));  /* the last calls, workers joined or abandoned */
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    p->started = 0;
    p->nth = 0;
    g->noffload = 0;
}

/* ---------------------------------------------------------------- posts
** agdf_post, from other threads: a bounded ring per input (its inbox, static
** storage of the generated struct), guarded by post_mu; the host thread moves
** items into the queues between batches (g->attn) and when a take makes room. */

void agdf__post_init(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);

    if (!p->post_ready) {
        pthread_mutex_init(&p->post_mu, NULL);
        p->post_ready = 1;
    }
}

int agdf_post(agdf_graph *g, uint32_t node, const void *item)
{
    agdf__pool *p = pool_of(g);
    agdf_node *n;
    int r = 0;

    if (node >= g->nnodes || !p->post_ready)
        return -1;
    n = &g->nodes[node];
    if (!n->inbox || (!item && n->isz))
        return -1;
    pthread_mutex_lock(&p->post_mu);
    if (!n->open || p->post_closed) {
        r = AGDF_CLOSED;
    } else if (n->icount == n->cap) {
        r = AGDF_FULL;
    } else {
        uint32_t slot = (n->ihead + n->icount) % n->cap;
        if (n->isz)
            memcpy(n->inbox + (size_t)slot * n->isz, item, n->isz);
        n->icount++;
        AGDF__STORE(g->attn, 1);
        if (g->wake_wr >= 0)        /* wakes a host waiting in poll; under the */
            (void)!write(g->wake_wr, "", 1);    /* lock: the run's end closes it */
    }
    pthread_mutex_unlock(&p->post_mu);
    return r;
}

void agdf__post_collect(agdf_graph *g)
{
    static const unsigned char none[1];
    agdf__pool *p = pool_of(g);
    uint32_t i;

    if (!p->post_ready)
        return;
    pthread_mutex_lock(&p->post_mu);
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        while (n->icount &&
               agdf__put(n, n->isz ? n->inbox + (size_t)n->ihead * n->isz : none)) {
            n->ihead = n->ihead + 1 == n->cap ? 0 : n->ihead + 1;
            n->icount--;
        }
        if (n->icount)
            n->host_full = 1;       /* the next take makes room: collect again */
    }
    pthread_mutex_unlock(&p->post_mu);
}

void agdf__post_close(agdf_graph *g, agdf_node *n)
{
    agdf__pool *p = pool_of(g);

    if (!p->post_ready) {
        n->open = 0;
        return;
    }
    pthread_mutex_lock(&p->post_mu);
    n->open = 0;
    pthread_mutex_unlock(&p->post_mu);
}

/* Posts accepted and never moved into a queue are counted as dropped. */
void agdf__post_stop(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    uint32_t i;

    if (!p->post_ready)
        return;
    pthread_mutex_lock(&p->post_mu);
    p->post_closed = 1;
    for (i = 0; i < g->nnodes; i++) {
        g->nodes[i].stats.dropped += g->nodes[i].icount;
        g->nodes[i].icount = 0;
    }
    pthread_mutex_unlock(&p->post_mu);
}

#endif /* AGDF_NO_OFFLOAD */
