/*
** agdf_offload.c — the blocking-call pool behind AGDF_OFFLOAD: a few POSIX
** threads, started at a run's first offload and joined at its end, take jobs
** (the waiting tasks themselves, linked through task->next) from a mutex-guarded
** FIFO, run fn(arg), put the task on a done list and write one byte to a pipe
** that the scheduler polls with the fd waiters.  The scheduler collects finished
** tasks in completion order and puts them at the back of the ready queue (rule 6),
** so other tasks keep running meanwhile.  The pool's state lives in the graph
** (agdf_graph.pool, opaque in the header).  -DAGDF_NO_OFFLOAD builds the stubs
** only, for targets without threads.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#ifdef AGDF_NO_OFFLOAD

int agdf__offload_fd(agdf_graph *g) { (void)g; return -1; }
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
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#ifndef AGDF_OFFLOAD_THREADS
#define AGDF_OFFLOAD_THREADS 4   /* workers per running graph (<= AGDF_OFFLOAD_THREADS_MAX) */
#endif

typedef struct agdf__pool {
    pthread_mutex_t mu;          /* guards jobs, done, stop */
    pthread_cond_t cv;           /* signalled when a job arrives or on stop */
    pthread_t th[AGDF_OFFLOAD_THREADS_MAX]; /* workers */
    unsigned nth;                /* workers started */
    unsigned nid;                /* workers that took an index (trace tracks) */
    int started;                 /* pool up for this run */
    int stop;                    /* workers must exit */
    int pipe_rd;                 /* scheduler polls this */
    int pipe_wr;                 /* workers write a byte per finished job */
    agdf_task *jobs;             /* FIFO of tasks whose call has not started */
    agdf_task *jobs_tail;        /* ... tail */
    agdf_task *done;             /* FIFO of tasks whose call finished */
    agdf_task *done_tail;        /* ... tail */
    pthread_mutex_t post_mu;     /* guards the inboxes, open of inputs, post_closed */
    int post_ready;              /* post_mu initialised (agdf_input, host thread) */
    int post_closed;             /* the run ended: posts refused */
} agdf__pool;

/* The opaque storage in agdf_graph must hold the pool (C99 static assertion). */
typedef char agdf__pool_fits[sizeof(agdf__pool) <= sizeof(agdf__pool_mem) ? 1 : -1];
typedef char agdf__threads_fit[AGDF_OFFLOAD_THREADS <= AGDF_OFFLOAD_THREADS_MAX ? 1 : -1];

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

/* A traced graph's calls are timed here and handed to agdf_trace.c under the
** lock (g->trace changes only between runs, when no worker exists). */
static void *worker(void *arg)
{
    agdf__pool *p = arg;
    char one = 1;
    unsigned id;

    pthread_mutex_lock(&p->mu);
    id = p->nid++;
    for (;;) {
        agdf_task *t;
        int64_t t0 = 0, t1 = 0;
        int traced;
        while (!p->jobs && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (!p->jobs)
            break;
        t = p->jobs;
        p->jobs = t->next;
        if (!p->jobs)
            p->jobs_tail = NULL;
        traced = t->node->graph->trace != NULL;
        pthread_mutex_unlock(&p->mu);
        if (traced)
            t0 = agdf__trace_stamp();
        t->w.off.fn(t->w.off.arg);
        if (traced)
            t1 = agdf__trace_stamp();
        pthread_mutex_lock(&p->mu);
        if (traced)
            agdf__trace_call(t, id, t0, t1);
        fifo_push(&p->done, &p->done_tail, t);
        while (write(p->pipe_wr, &one, 1) < 0 && errno == EINTR)
            ;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int pool_start(agdf__pool *p)
{
    int fds[2];

    if (pipe(fds) != 0)
        return -1;                  /* not started: calls run inline */
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    p->pipe_rd = fds[0];
    p->pipe_wr = fds[1];
    p->stop = 0;
    p->nid = 0;
    p->jobs = p->jobs_tail = p->done = p->done_tail = NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (p->nth = 0; p->nth < AGDF_OFFLOAD_THREADS; p->nth++) {
        if (pthread_create(&p->th[p->nth], NULL, worker, p) != 0)
            break;
    }
    p->started = 1;
    return p->nth ? 0 : -1;
}

void agdf__offload(agdf_task *t, agdf_offload_fn fn, void *arg)
{
    agdf_graph *g = t->node->graph;
    agdf__pool *p = pool_of(g);

    if (!p->started)
        pool_start(p);
    if (!p->started || p->nth == 0) {
        fn(arg);                    /* no thread: run it here, then pass */
        agdf__ready_push(g, t);
        return;
    }
    t->wait = AGDF__W_OFFLOAD;
    t->w.off.fn = fn;
    t->w.off.arg = arg;
    g->noffload++;
    pthread_mutex_lock(&p->mu);
    fifo_push(&p->jobs, &p->jobs_tail, t);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int agdf__offload_fd(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    return p->started ? p->pipe_rd : -1;
}

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
    AGDF__TRACED(g, agdf__trace_calls(g));
    pthread_mutex_unlock(&p->mu);
    for (; t; t = next) {
        next = t->next;
        g->noffload--;
        agdf__ready_push(g, t);
    }
}

void agdf__offload_stop(agdf_graph *g)
{
    agdf__pool *p = pool_of(g);
    unsigned i;

    if (!p->started)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    p->jobs = p->jobs_tail = NULL;      /* a halt drops calls not yet started */
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    AGDF__TRACED(g, agdf__trace_calls(g));  /* the last calls, workers joined */
    close(p->pipe_rd);
    close(p->pipe_wr);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    p->started = 0;
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
