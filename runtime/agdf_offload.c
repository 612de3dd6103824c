/*
** agdf_offload.c — the blocking-call pool behind AGDF_OFFLOAD: POSIX threads,
** started on demand (one more whenever a call is queued and no worker is idle,
** up to the graph's offload_threads), take jobs (the waiting tasks themselves,
** linked through task->next) from a mutex-guarded FIFO, run fn(arg) and put the
** task on a done list.  The scheduler polls the read end of a pipe with the fd
** waiters; a worker writes one byte only when no wake-up is pending since the
** last collection (both ends are non-blocking, so no worker ever blocks while
** holding the lock, however many calls finish in one batch).  The scheduler
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
int agdf__offload_fd(agdf_graph *g) { (void)g; return -1; }
void agdf__offload_collect(agdf_graph *g) { (void)g; }
void agdf__offload_stop(agdf_graph *g) { (void)g; }

#else

#include <errno.h>
#include <fcntl.h>
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
    int pipe_rd;                 /* scheduler polls this */
    int pipe_wr;                 /* a worker writes a byte when no wake is pending */
    agdf_task *jobs;             /* FIFO of tasks whose call has not started */
    agdf_task *jobs_tail;        /* ... tail */
    agdf_task *done;             /* FIFO of tasks whose call finished */
    agdf_task *done_tail;        /* ... tail */
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

/* One wake-up byte per collection: the pipe never fills, and the write cannot
** block (O_NONBLOCK) even if it did. */
static void wake_scheduler(agdf__pool *p)
{
    char one = 1;

    if (p->wake_pending)
        return;
    p->wake_pending = 1;
    while (write(p->pipe_wr, &one, 1) < 0 && errno == EINTR)
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

static int pool_start(agdf__pool *p)
{
    int fds[2];

    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    p->pipe_rd = fds[0];
    p->pipe_wr = fds[1];
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
    if (pthread_create(&s->th, NULL, worker, s) != 0)
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
    if (!p->started && pool_start(p) != 0)
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

int agdf__offload_fd(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    return p->started ? p->pipe_rd : -1;
}

/* Drain the pipe first, then take the list and clear wake_pending under the
** lock: a call finishing after that writes a new byte, so none is missed. */
void agdf__offload_collect(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    char drain[64];
    agdf_task *t, *next;

    if (!p->started)
        return;
    while (read(p->pipe_rd, drain, sizeof drain) > 0)
        ;
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
    close(p->pipe_rd);
    close(p->pipe_wr);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    p->started = 0;
    p->nth = 0;
    g->noffload = 0;
}

#endif /* AGDF_NO_OFFLOAD */
