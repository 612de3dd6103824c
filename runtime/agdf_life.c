/*
** agdf_life.c — the life cycle of a run beyond a batch job: input nodes the
** host feeds with agdf_push and closes with agdf_close, the room hook that
** tells the host when a full input has room again, on_close blocks started
** when a node's input is finished, and agdf_stop (drain or abort) from a
** signal handler or another thread.  docs/runtime.md §7 describes the states
** (init, open, running/idle, closed, drained, done; stopped, halted).  The
** scheduler core (agdf.c) calls in here only at batch boundaries: a graph
** without inputs, on_close blocks or a stop request never reaches this code,
** and its cost per item is unchanged.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#include <fcntl.h>
#include <unistd.h>

/* ---------------------------------------------------------------- set-up */

void agdf_input(agdf_graph *g, uint32_t node, void *inbox)
{
    agdf_node *n;

    if (node >= g->nnodes || g->nodes[node].input)
        return;
    n = &g->nodes[node];
    n->input = 1;
    n->open = 1;
    n->inbox = (unsigned char *)inbox;
    g->nopen++;
    if (inbox)
        agdf__post_init(g);
}

void agdf_on_close(agdf_graph *g, uint32_t node)
{
    if (node >= g->nnodes || g->nodes[node].closing)
        return;
    g->nodes[node].closing = 1;
    g->nclose++;
    AGDF__STORE(g->attn, 1);        /* batches take the slow path: agdf__close_tick */
}

void agdf_set_room_hook(agdf_graph *g, agdf_room_fn fn, void *ud)
{
    g->room = fn;
    g->room_ud = ud;
}

/* ---------------------------------------------------------------- host side */

/* An input node is a source (the compiler refuses edges into it) whose drain
** loop takes one item at a time: no window is ever held on its queue, so a
** put is safe between steps and from any body. */
int agdf_push(agdf_graph *g, uint32_t node, const void *item)
{
    static const unsigned char none[1];
    agdf_node *n;

    if (node >= g->nnodes)
        return -1;
    n = &g->nodes[node];
    if (!n->input || (!item && n->isz))
        return -1;
    if (!n->open || g->finished)
        return AGDF_CLOSED;
    if (!agdf__put(n, item ? item : none)) {
        n->host_full = 1;           /* the next take calls the room hook */
        return AGDF_FULL;
    }
    return 0;
}

uint32_t agdf_room(const agdf_graph *g, uint32_t node)
{
    const agdf_node *n;

    if (node >= g->nnodes)
        return 0;
    n = &g->nodes[node];
    if (!n->input || !n->open || g->finished)
        return 0;
    return n->cap - n->count;
}

int agdf_close(agdf_graph *g, uint32_t node)
{
    agdf_node *n;

    if (node >= g->nnodes || !g->nodes[node].input)
        return -1;
    n = &g->nodes[node];
    if (n->open) {
        agdf__post_close(g, n);     /* n->open = 0, under the post lock */
        n->host_full = 0;
        g->nopen--;
    }
    return 0;
}

void agdf_close_inputs(agdf_graph *g)
{
    uint32_t i;

    for (i = 0; i < g->nnodes; i++) {
        if (g->nodes[i].input)
            (void)agdf_close(g, i);
    }
}

static void room_call(agdf_graph *g);

/* The scheduler's one call for everything g->attn announces, between
** batches: a stop request, posts, room made in an input full for the host.
** 1 when a stop ended the run. */
int agdf__host_events(agdf_graph *g)
{
    AGDF__STORE(g->attn, 0);        /* first: a later stop or post sets it again */
    if (AGDF__LOAD(g->stop_req) != g->stop_done && agdf__stop_apply(g))
        return 1;
    agdf__post_collect(g);
    if (g->room_due)
        room_call(g);
    if (g->part)                    /* a thread of a threaded run: its rings, the end */
        return agdf__mt_sync(g);
    return 0;
}

static void room_call(agdf_graph *g)
{
    uint32_t i;

    g->room_due = 0;
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        if (n->host_full != 2)
            continue;
        n->host_full = 0;
        if (n->open && g->room)
            g->room(g->room_ud, i);
    }
}

/* ---------------------------------------------------------------- on_close */

/* Is a task of n inside an invocation (busy: sleeping, waiting, parked in a
** yield, offloaded, polling)?  Such a node may still yield. */
static int node_busy(const agdf_node *n)
{
    uint32_t k;

    for (k = 0; k < n->def->ntasks; k++) {
        const agdf_task *t = (const agdf_task *)(const void *)
            (n->tasks + (size_t)k * n->def->task_size);
        if (t->busy)
            return 1;
    }
    return 0;
}

/* Are items still waiting for n: queued, or posted to its inbox (which only
** this thread empties once the input is closed)? */
static int node_queued(const agdf_node *n)
{
    return n->count || n->icount;
}

/* Is n not finished, so it can still yield?  An open input, items waiting for
** it, an on_close not finished, a task inside an invocation (sleeping, waiting
** on an fd, parked in a yield, offloaded, or a stale AGDF_AWAIT poll). */
static int node_live(const agdf_node *n)
{
    return (n->input && n->open) || node_queued(n) || n->closing == 1 || n->closing == 2 ||
           node_busy(n);
}

/* t leaves its queue's line of consumers (an idle task waits there). */
static void unlink_taker(agdf_node *n, agdf_task *t)
{
    agdf_task **p = &n->takers, *prev = NULL;

    for (; *p; prev = *p, p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            if (n->takers_tail == t)
                n->takers_tail = prev;
            return;
        }
    }
}

/* Every task of n starts its on_close invocation (busy 2, resume point 0). */
static void close_start(agdf_graph *g, agdf_node *n)
{
    uint32_t k;

    n->closing = 2;
    n->nclosing = n->def->ntasks;
    for (k = 0; k < n->def->ntasks; k++) {
        agdf_task *t = (agdf_task *)(void *)(n->tasks + (size_t)k * n->def->task_size);
        t->busy = 2;
        t->lc = 0;
        if (t->wait == AGDF__W_READY)   /* idle, woken by a put a sibling served */
            continue;                   /* already queued: runs on_close when popped */
        if (t->wait == AGDF__W_TAKE)
            unlink_taker(n, t);
        agdf__ready_push(g, t);
    }
}

/* A node's input is finished when no node upstream of it is live (every
** source above it finished) and its own queue is empty.  Marks (n->blocked)
** everything downstream of a live node, with an intrusive work list (no
** storage), then starts the on_close of every node waiting for it that is
** neither live itself nor blocked.  Between batches only, when no task holds
** a window on a queue.  O(nodes + edges + tasks). */
int agdf__close_scan(agdf_graph *g)
{
    uint32_t list = 0, i, k;        /* work list: node index + 1, 0 ends it */
    int started = 0;

    for (i = 0; i < g->nnodes; i++)
        g->nodes[i].blocked = 0;
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        if (node_live(n)) {
            n->wl_next = list;
            list = i + 1;
        }
    }
    while (list) {
        agdf_node *n = &g->nodes[list - 1];
        list = n->wl_next;
        for (k = 0; k < n->ndst; k++) {
            uint32_t j = n->def->dst[k];
            agdf_node *d = &g->nodes[j];
            if (!d->blocked) {
                d->blocked = 1;
                d->wl_next = list;
                list = j + 1;
            }
        }
    }
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        if (n->closing == 1 && !n->blocked && !(n->input && n->open) && !node_queued(n) &&
            !node_busy(n)) {
            close_start(g, n);
            started = 1;
        }
    }
    return started;
}

/* Between batches of a graph with on_close blocks left (g->attn stays set
** for them, so a graph without pays nothing): a scan when nothing is ready,
** else once every nodes + tasks resumptions, which bounds its cost per
** resumption by a constant while a busy branch elsewhere never lets the graph
** be quiescent. */
void agdf__close_tick(agdf_graph *g)
{
    uint32_t period = g->nnodes + g->ntasks;

    if (g->nready == g->npoll || g->close_wait <= g->nready) {
        g->close_wait = period;
        (void)agdf__close_scan(g);
    } else {
        g->close_wait -= g->nready;     /* the next batch's resumptions */
    }
    if (g->nclose)
        AGDF__STORE(g->attn, 1);
}

/* The end of one task's on_close invocation (the drain loop calls
** it when the block returns): the node's on_close is over with its last. */
int agdf__close_end(agdf_task *t)
{
    agdf_node *n = t->node;

    t->busy = 0;
    t->lc = 0;
    t->wait = AGDF__W_NONE;
    if (--n->nclosing == 0) {
        n->closing = 3;
        n->graph->nclose--;
    }
    return AGDF_SUSPENDED;
}

/* ---------------------------------------------------------------- arguments */

static int args_n;              /* the program's, for every graph of the process */
static char **args_v;

void agdf_set_args(int argc, char **argv)
{
    args_n = argc > 0 && argv ? argc : 0;
    args_v = argv;
}

int agdf_argc(void)
{
    return args_n;
}

const char *agdf_argv(int i)
{
    return i >= 0 && i < args_n ? args_v[i] : NULL;
}

/* ---------------------------------------------------------------- stop */

/* Only atomic stores and a write(2), all async-signal-safe.  The write is
** bracketed by g->waking, which agdf__wake_close waits to see at 0 after it
** took the descriptor away: a stop from another thread as the run ends never
** writes to a closed descriptor (or to one a later open reused). */
void agdf_stop(agdf_graph *g, int mode)
{
    int fd;

    if (mode == AGDF_STOP_DRAIN || mode == AGDF_STOP_ABORT) {
        if (mode > AGDF__LOAD(g->stop_req))
            AGDF__STORE(g->stop_req, mode);
        AGDF__STORE(g->attn, 1);
        if (g->mtc)
            agdf__mt_kick(g->mtc);  /* threads asleep on their futex wake */
        AGDF__ADD_SC(g->waking, 1);
        fd = AGDF__LOAD_SC(g->wake_wr);
        if (fd >= 0)
            (void)!write(fd, "", 1);
        AGDF__ADD_SC(g->waking, -1);
    }
}

int agdf_wake_fd(agdf_graph *g)
{
    int p[2];

    if (g->wake_rd >= 0)
        return g->wake_rd;
    if (pipe(p) != 0)
        return -1;
    (void)fcntl(p[0], F_SETFL, O_NONBLOCK);
    (void)fcntl(p[1], F_SETFL, O_NONBLOCK);
    (void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
    g->wake_rd = p[0];
    g->wake_wr = p[1];
    return p[0];
}

void agdf__wake_drain(agdf_graph *g)
{
    char buf[64];

    while (read(g->wake_rd, buf, sizeof buf) > 0)
        ;
}

void agdf__wake_close(agdf_graph *g)
{
    int wr = g->wake_wr;

    if (g->wake_rd < 0)
        return;
    AGDF__STORE_SC(g->wake_wr, -1); /* first: a later stop does not write */
    while (AGDF__LOAD_SC(g->waking))
        ;                           /* a stop on another thread is writing: one write(2) */
    close(wr);
    close(g->wake_rd);
    g->wake_rd = -1;
}

/* A sleeping or fd-waiting task of a stopped source need not wait: it goes
** to the ready queue, where the drain loop ends it. */
static void wake_stopped(agdf_graph *g)
{
    uint32_t i, k = 0;
    agdf_task *t, *prev = NULL, *next;

    for (t = g->fdwait; t; t = next) {
        next = t->next;
        if (!t->node->stopped || t->busy == 2) {
            prev = t;
            continue;
        }
        agdf__fd_unlink(g, t, prev);
        if (t->events & AGDF__TO)
            t->events = (uint8_t)(t->events & ~AGDF__TO);  /* the heap loop wakes it */
        else
            agdf__ready_push(g, t);
    }
    for (i = 0; i < g->nheap; i++) {
        t = g->heap[i];
        if (!t->node->stopped || t->busy == 2)
            g->heap[k++] = t;
        else if (t->wait == AGDF__W_POLL)   /* AGDF_AWAIT_FOR: in the ready queue */
            t->events = (uint8_t)(t->events & ~AGDF__TO);
        else
            agdf__ready_push(g, t);
    }
    agdf__heap_rebuild(g, k);
}

/* Drain: every input closes, and what the host pushed or posted to it was
** accepted (0): like a yielded item, it is processed.  Every other source (a
** node no edge enters) drops its start items not yet taken (counted) and
** ends its invocation at its next suspension; what was yielded flows on,
** on_close blocks run.  Abort: the run ends now, queued items counted as
** dropped. */
int agdf__stop_apply(agdf_graph *g)
{
    int mode = AGDF__LOAD(g->stop_req);
    uint32_t i, k;

    g->stop_done = mode;
    if (mode == AGDF_STOP_ABORT) {
        agdf__finish(g);
        return 1;
    }
    agdf_close_inputs(g);
    for (i = 0; i < g->nnodes; i++)
        g->nodes[i].blocked = 0;        /* here: "some edge enters it" */
    for (i = 0; i < g->nnodes; i++) {
        const agdf_node *n = &g->nodes[i];
        for (k = 0; k < n->ndst; k++)
            g->nodes[n->def->dst[k]].blocked = 1;
    }
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        if (n->blocked || n->input)     /* pushed items were accepted: they flow on */
            continue;
        n->stats.dropped += n->count;
        n->count = 0;
        n->stopped = 1;
    }
    wake_stopped(g);
    return 0;
}
