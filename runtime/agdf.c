/*
** agdf.c — the scheduler core of libagdf: graph set-up over caller storage,
** bounded FIFO queues with FIFO lines of waiting consumers and producers, the
** ready queue, the timer heap, fd waiting with poll(), the error pool and the
** halt, and the run loop.  It implements the six rules of the scheduling model
** (docs/language.md §10), which the comments below cite by number:
**
**   1. Before anything runs, the start items are queued (default start nodes in
**      declaration order, or the `start` statements in order), and every task
**      is ready, in declaration order of its node, then task index.
**   2. The scheduler takes the first ready task and runs it until it must wait.
**      Taking an item from a non-empty queue and putting one into a non-full
**      queue never waits.
**   3. A task that finds its queue empty (or a destination full) joins the
**      back of that queue's line of waiting consumers (producers) and stops.
**   4. Each put wakes the first waiting consumer of that queue, each take the
**      first waiting producer; the woken task goes to the back of the ready
**      queue and checks again when it runs.
**   5. A yield counts `out` and the destinations' `in` first, then puts the
**      item into each destination in edge order, waiting at any that is full.
**   6. AGDF_PASS() puts the task at the back of the ready queue; a timer, fd
**      wait or offloaded call that completes puts its task at the back too.
**
** Every scheduling decision is O(1) (the heap is O(log timers)): nothing here
** scans nodes or tasks except agdf_init, a halt and the end of a run.  No stdio
** and no allocation: text is made by agdf_log.c (which never calls back into
** the error or halt decisions made here), threads live in agdf_offload.c.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#define NS_PER_MS 1000000LL

/* ---------------------------------------------------------------- clock */

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t agdf__clock(agdf_graph *g)
{
    if (!g->virtual_time)
        g->now = mono_ns() - g->epoch;
    return g->now;
}

/* a + b for b >= 0, saturating at AGDF__NEVER: the clock never wraps. */
static int64_t sat_add(int64_t a, int64_t b)
{
    return a > AGDF__NEVER - b ? AGDF__NEVER : a + b;
}

int64_t agdf_now_ms(const agdf_graph *g)
{
    int64_t now = g->virtual_time ? g->now : mono_ns() - g->epoch;
    return now / NS_PER_MS;
}

/* ---------------------------------------------------------------- lists */

/* The ready queue's back and a line's first task: agdf.h's inline forms,
** which the straight put of a body shares (one state for "ready"). */
typedef char agdf__ready_is_ready[AGDF__READY == AGDF__W_READY ? 1 : -1];

void agdf__ready_push(agdf_graph *g, agdf_task *t)
{
    agdf__ready_back(g, t);
}

static agdf_task *ready_pop(agdf_graph *g)
{
    agdf_task *t = g->ready;
    g->ready = t->next;
    if (!g->ready)
        g->ready_tail = NULL;
    g->nready--;
    if (t->wait == AGDF__W_POLL)
        g->npoll--;
    else
        g->polled = 0;          /* it may change a condition: polls re-check */
    return t;                   /* t->wait is stale until t waits again */
}

static void line_push(agdf_task **head, agdf_task **tail, agdf_task *t)
{
    t->next = NULL;
    if (*tail)
        (*tail)->next = t;
    else
        *head = t;
    *tail = t;
}

/* Rule 4: the first task of a line goes to the back of the ready queue. */
static void line_wake(agdf_graph *g, agdf_task **head, agdf_task **tail)
{
    agdf__line_wake(g, head, tail);
}

/* Rule 3 for a yield: t waits in the line of d, its put owed from destination
** `cursor` on (the scheduler finishes it before the body resumes). */
static void park_putter(agdf_task *t, agdf_node *d, uint32_t cursor)
{
    t->cursor = cursor;
    t->putting = 1;
    t->wait = AGDF__W_PUT;
    line_push(&d->putters, &d->putters_tail, t);
}

/* ---------------------------------------------------------------- queues */

/* memcpy with the common item sizes as constants (moves, not calls). */
static void copy_item(void *dst, const void *src, size_t n)
{
    switch (n) {
    case 0: break;
    case 4: memcpy(dst, src, 4); break;
    case 8: memcpy(dst, src, 8); break;
    case 16: memcpy(dst, src, 16); break;
    default: memcpy(dst, src, n); break;
    }
}

void agdf__wake_taker(agdf_node *n)
{
    line_wake(n->graph, &n->takers, &n->takers_tail);
}

void agdf__wake_putter(agdf_node *n)
{
    line_wake(n->graph, &n->putters, &n->putters_tail);
}

/* Appends a copy of item; 0 if the queue is full. */
AGDF__HOT int queue_put(agdf_node *n, const void *item)
{
    uint32_t slot;

    if (n->count == n->cap)
        return 0;
    if (n->count == 0)
        n->head = 0;            /* an empty ring restarts at slot 0: longer windows */
    slot = n->head + n->count;
    if (slot >= n->cap)
        slot -= n->cap;
    copy_item(n->buf + (size_t)slot * n->isz, item, n->isz);
    n->count++;
    if (n->takers)
        line_wake(n->graph, &n->takers, &n->takers_tail);
    return 1;
}

/* ---------------------------------------------------------------- burst windows
** Nothing else runs while a task runs, so when a take finds no producer left
** to wake (rule 4) the drain loop reserves every further item queued before
** the ring wraps: a window it walks with a pointer and a count.  A put to the
** node's one destination reserves free slots the same way (agdf__put_open,
** once no consumer is left to wake): the body's agdf_io holds that window.
** Reservations are counted in the queues and statistics at once; what a burst
** leaves unused is handed back before the task returns to the scheduler, so
** every scheduling decision and every report sees exact counts.  A window
** stops where the ring wraps; it is granted only when rule 4 has nobody to
** wake, because the reserved takes and puts wake no one. */

/* Hands back what a burst reserved and did not use: `in` items go back to the
** front of n's queue, `out` slots of its destination are freed and uncounted. */
static void unwind_in(agdf_node *n, uint32_t in)
{
    n->head = n->head >= in ? n->head - in : n->head + n->cap - in;
    n->count += in;
}

static void unwind_out(agdf_node *n, uint32_t out)
{
    agdf_node *d = n->dst1;

    d->count -= out;
    d->stats.in -= out;
    n->stats.out -= out;
}

/* The same for the windows a fan-out put (agdf__yield_slow) left in n's
** destinations: each goes back to none, so a destination listed twice is
** handed back once. */
static void unwind_fan(agdf_node *n)
{
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = n->graph->nodes;
    uint32_t i;

    for (i = 0; i < n->ndst; i++) {
        agdf_node *d = &nodes[dst[i]];
        if (d->wn) {
            d->count -= d->wn;
            d->stats.in -= d->wn;
            d->wn = 0;
        }
    }
    n->fan &= (uint8_t)~AGDF__FAN_HELD;
}

/* The same for what is left of a shared fan-out window (fan_open): `left`
** slots at the end of every destination's ring, and as many yields. */
static void unwind_shared(agdf_node *n, uint32_t left)
{
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = n->graph->nodes;
    uint32_t i;

    for (i = 0; i < n->ndst; i++) {
        agdf_node *d = &nodes[dst[i]];
        d->count -= left;
        d->stats.in -= left;
    }
    n->stats.out -= left;
}

/* The end of a burst: its unused reservations go back (see above).  Only a
** node whose puts go item by item (no single destination keeping items) can
** hold fan-out windows (AGDF__FAN_HELD), and io's window is then a shared
** one. */
AGDF__HOT void burst_end(agdf_node *n, agdf_io *io)
{
    if (io->nout) {
        if (n->dst1)
            unwind_out(n, io->nout);
        else
            unwind_shared(n, io->nout);
        io->nout = 0;
    } else if (n->fan & AGDF__FAN_HELD) {
        unwind_fan(n);
    }
}

/* A body's return value other than AGDF_DONE and a real suspension: a halting
** raise (nothing to do), or an error of the node raised at file:line (a body
** resumed at an unknown point, a value that is no return code, or
** AGDF_SUSPENDED from a body that did not park), after which, unless that
** halts, the task is ready to take its next item. */
static void body_failed(agdf_task *t, int r, const char *file, int line)
{
    agdf_graph *g = t->node->graph;
    int h;

    if (r == AGDF__HALTED && g->halted)
        return;
    h = r == AGDF__LOST ? agdf__lost(t, file, line) : agdf__bad_return(t, r, file, line);
    t->busy = 0;
    if (h != AGDF__HALTED)
        agdf__ready_push(g, t);
}

/* Whether a body that returned AGDF_SUSPENDED really parked.  A task runs
** only after ready_push (state W_READY, or W_POLL for an await), and every park
** either changes the state or (a pass) makes the task the ready queue's tail,
** which a running task is not: so no flag has to be set per resumption. */
static int parked(const agdf_task *t)
{
    return (t->wait != AGDF__W_READY && t->wait != AGDF__W_POLL) ||
           t->node->graph->ready_tail == t;
}

/* The next item of n's queue, not empty (io->in), and after it every item
** queued before the ring wraps when no producer is left to wake (io->nin of
** them; it is 0 here, as a take comes only once the window is used up).  No
** halt test: after a halt no task runs (the raising one stops at once). */
AGDF__HOT void take_window(agdf_node *n, agdf_io *io)
{
    uint32_t head, count = n->count, left, k;

    if (n->cap == 1) {          /* queue_size 1: its one item, no window */
        io->in = n->buf;
        n->head = 0;
        n->count = 0;
        if (n->putters)         /* rule 4 */
            line_wake(n->graph, &n->putters, &n->putters_tail);
        return;
    }
    head = n->head;
    left = n->cap - head;
    io->in = n->buf + (size_t)head * n->isz;
    k = count < left ? count : left;
    if (n->putters) {           /* rule 4: this take wakes the first producer */
        line_wake(n->graph, &n->putters, &n->putters_tail);
        if (n->putters)
            k = 1;              /* later takes wake the others */
    }
    n->head = k == left ? 0 : head + k;
    n->count = count - k;
    io->nin = k - 1;
}

/* An input node's take of its oldest item: copied into the task's agdf_in
** (agdf_push may put into its queue from any body, which neither a window
** nor a pointer into the ring would survive), and the room hook's cue when
** the host found the queue full. */
static void take_one(agdf_node *n, agdf_task *t, agdf_io *io)
{
    io->in = (unsigned char *)t + n->def->in_offset;
    copy_item(io->in, n->buf + (size_t)n->head * n->isz, n->isz);
    if (++n->head == n->cap)
        n->head = 0;
    n->count--;
    if (n->putters)
        line_wake(n->graph, &n->putters, &n->putters_tail);
    if (n->host_full == 1)
        agdf__room_made(n);
}

/* A take (rule 2), or rule 3 when t's queue is empty: t joins its line of
** consumers (0), whatever the node; at queue_size 1 this is the test that
** follows every item. */
AGDF__HOT int take(agdf_task *t, agdf_io *io)
{
    agdf_node *n = t->node;

    if (!n->count) {
        t->wait = AGDF__W_TAKE;
        line_push(&n->takers, &n->takers_tail, t);
        return 0;
    }
    if (n->input)
        take_one(n, t, io);
    else
        take_window(n, io);
    return 1;
}

/* The end of an invocation that did not finish: a suspension keeps the item
** (copied out of its queue slot before anything else can run); anything else
** is what body_failed handles. */
AGDF__APART void burst_stop(agdf_task *t, agdf_io *io, int r)
{
    agdf_node *n = t->node;

    if (r == AGDF_SUSPENDED && parked(t)) {
        unsigned char *keep = (unsigned char *)t + n->def->in_offset;
        if (io->in != keep)
            copy_item(keep, io->in, n->isz);
        t->busy = 1;
        return;
    }
    body_failed(t, r, __FILE__, __LINE__);
}

/* A task's on_close invocation (busy 2): the block resumes with no item; when
** it returns other than suspended the task's part of the on_close is over. */
static void close_run(agdf_task *t, agdf_io *io)
{
    io->in = (unsigned char *)t + t->node->def->in_offset;
    io->nin = 0;
    if (t->node->def->on_close(t, io) != AGDF_SUSPENDED)
        (void)agdf__close_end(t);
    burst_end(t->node, io);
}

/* The drain loop, the one every body runs in (rule 2): resume t if it is
** parked inside an invocation, then take items and run the body on each until
** it must wait.  The body reads its item at io->in, the queue slot itself
** while the burst lasts (a suspension copies it into the task's agdf_in), and
** may go on to the next items of the window itself (agdfc's do: AGDF__NEXT),
** returning AGDF_DONE when it has finished the last it took.  What the burst
** reserved and did not use is handed back at its end.  A real function, not
** inlined into the scheduler's loop: `break agdf__drain` and `next` in gdb
** walk it (docs/cli.md). */
void agdf__drain(agdf_task *t)
{
    agdf_node *n = t->node;
    agdf_io *io = &n->graph->io;
    int r;

    io->nin = 0;                /* io->nout: 0 since the last burst_end, or a
                                   shared window the put just finished opened */
    if (t->busy) {
        if (t->busy == 2) {
            close_run(t, io);
            return;
        }
        t->busy = 0;
        io->in = (unsigned char *)t + n->def->in_offset;
        if (n->stopped)         /* a stopped source: the invocation ends here */
            goto stopped;
        goto resume;
    }
    if (n->stopped)
        goto stopped;
    /* A take happens only when the window is used up (io->nin 0): a failed
    ** one leaves no input to hand back, only output slots.  After the body's
    ** call only t and io stay in registers (the node is read again through
    ** t): fewer registers saved per resumption. */
    while (take(t, io)) {
        for (;;) {
            t->lc = 0;
        resume:
            r = t->node->body(t, io);
            if (r != AGDF_DONE) {
                burst_stop(t, io, r);
                if (io->nin)
                    unwind_in(t->node, io->nin);
                goto out;
            }
            if (!io->nin)
                break;
            io->in = (unsigned char *)io->in + t->node->isz;
            io->nin--;
        }
    }
out:
    burst_end(t->node, io);
    return;
stopped:
    burst_end(n, io);           /* the windows of a put finished just before */
    t->lc = 0;
    t->wait = AGDF__W_NONE;
}

/* A threaded run's slices (agdf_mt.c) end a burst's windows between two of
** its invocations: `in` items of the window the last take granted go back to
** the front of n's queue (the next take grants them again), and every output
** window is handed back (burst_end), so that a ring serviced then sees only
** written, counted items.  Never called on one thread. */
void agdf__take_back(agdf_node *n, uint32_t in)
{
    unwind_in(n, in);
}

void agdf__burst_close(agdf_node *n)
{
    burst_end(n, &n->graph->io);
}

/* The room hook is called between batches, never inside a take: the host may
** push from it. */
void agdf__room_made(agdf_node *n)
{
    n->host_full = 2;
    n->graph->room_due = 1;
    AGDF__STORE(n->graph->attn, 1);
}

int agdf__put(agdf_node *n, const void *item)
{
    return queue_put(n, item);
}

/* Rule 5's put into d, which has room: the slot this put builds its item in,
** returned, and after it the free slots before the ring wraps when no
** consumer is left to wake (rule 4), at most max in all; *k gets how many,
** all counted in d now. */
AGDF__HOT unsigned char *reserve(agdf_graph *g, agdf_node *d, uint32_t max, uint32_t *k)
{
    uint32_t count = d->count, cap = d->cap, slot, r;

    if (count == 0)
        d->head = 0;            /* an empty ring restarts at slot 0: longer windows */
    slot = d->head + count;
    if (slot >= cap)
        slot -= cap;
    r = cap - slot;             /* to the wrap; cap - count below bounds it to the free ones */
    if (d->takers) {                          /* rule 4: wake the first consumer */
        line_wake(g, &d->takers, &d->takers_tail);
        if (d->takers)
            r = 1;                            /* later puts wake the others */
    }
    if (r > cap - count)
        r = cap - count;
    if (r > max)
        r = max;
    d->count = count + r;
    d->stats.in += r;
    *k = r;
    return d->buf + (size_t)slot * d->isz;
}

/* Rule 3 for a put into the one destination d, full: count (rule 5) and
** wait there (at queue_size 1, every other put of a chain). */
static int put_full(agdf_task *t, agdf_node *d)
{
    t->node->stats.out++;
    d->stats.in++;
    park_putter(t, d, 0);
    return 1;
}

/* Rule 5's put into n's one destination d, which has room: the slot
** reserve() grants, and after it the free slots when no consumer is left to
** wake, all counted in out now, become io's window, starting at this put's
** slot (returned). */
static unsigned char *open_window(agdf_node *n, agdf_node *d, agdf_io *io)
{
    uint32_t k;
    unsigned char *out = reserve(n->graph, d, UINT32_MAX, &k);

    n->stats.out += k;
    io->out = out;
    io->nout = k;
    return out;
}

/* The put of AGDF__PUT when the window is used up, and of AGDF__PUT_ANY:
** the item is in agdf_out.  Rule 5 for the one destination that keeps items,
** straight into its next free slot; the slots reserve() grants after it
** become the body's window (io), counted in out now too.  When a woken
** consumer leaves others waiting that is this one slot and io's window empty;
** queue_size 1 never has a window and goes straight, with no window
** arithmetic (a chain of them resumes every task per item).  A full ring
** parks t at once (put_full).  No destination, one without items, or
** several: agdf__yield_slow. */
int agdf__yield(agdf_task *t)
{
    agdf_node *n = t->node, *d = n->dst1;
    const unsigned char *item = (unsigned char *)t + n->def->out_offset;
    agdf_io *io;
    unsigned char *out;

    if (!d)                                   /* several destinations: no io window */
        return agdf__yield_slow(t);
    if (d->cap == 1) {                        /* queue_size 1: never a window */
        if (d->count)
            return put_full(t, d);
        d->count = 1;
        d->head = 0;
        d->stats.in++;
        n->stats.out++;
        if (d->takers)                        /* rule 4 */
            line_wake(n->graph, &d->takers, &d->takers_tail);
        copy_item(d->buf, item, d->isz);
        return 0;
    }
    io = &n->graph->io;
    if (io->nout) {                           /* AGDF__PUT_ANY inside a window */
        copy_item(io->out, item, d->isz);
        io->out += d->isz;
        io->nout--;
        return 0;
    }
    if (d->count == d->cap)
        return put_full(t, d);
    out = open_window(n, d, io);
    io->out = out + d->isz;
    io->nout--;
    copy_item(out, item, d->isz);             /* last: nothing lives across a memcpy call */
    return 0;
}

/* Where a put of AGDF__PUT_SET builds its item when the body's window is
** used up (the item is not built yet): when t's one destination keeps items
** (queue_size above 1) and has room, its window opens at this put's slot
** (open_window), returned, so the body builds the item straight in it and
** counts it as the window's first put, with no copy through agdf_out.  Else
** agdf_out, io's window left empty: the body then puts it with agdf__yield,
** item by item (no one destination keeping items, queue_size 1), parked at a
** full ring, or when the put would wake a consumer while the graph has an
** open input: the item's expressions could push and so wake a task, which
** rule 4 orders before this put's wake (the reference computes the item,
** then puts it). */
void *agdf__put_slot(agdf_task *t)
{
    agdf_node *n = t->node, *d = n->dst1;

    if (!d || d->cap == 1 || d->count == d->cap || (d->takers && n->graph->nopen)) {
        n->graph->io.nout = 0;                /* the body reads io's out and nout back */
        return (unsigned char *)t + n->def->out_offset;
    }
    return open_window(n, d, &n->graph->io);
}

/* Hand-off mode (graph attribute handoff = true): an item put into the empty
** one-slot queue of d, whose consumer c waits, goes to c at once, inside
** the put: c takes it (waking d's first producer, rule 4) and its body runs
** one invocation on it in the queue slot, as the drain loop would run it;
** then c waits again at its empty queue (rule 3: d is empty, as nothing c
** runs can put into it), or, when the invocation did not finish, the drain
** loop's own end of a burst keeps the item (burst_stop), and what c's burst
** reserved is handed back (burst_end).  The producer then goes on, with the
** graph's agdf_io its own again (its item and input window: the one-slot
** destination never gave it an output window).  Nothing c runs can reach
** the producer's queue or d (the graph is acyclic and every nested task is
** downstream), so the item the producer reads in place and the windows it
** holds stay intact.  Only while fewer than AGDF__HANDOFF_DEPTH consumers
** already run inside puts (the stack stays bounded), with no trace open
** (its slices do not nest), off threads, and with c and d not in the life
** cycle's end (on_close, stop): else the plain put, c woken to the back of
** the ready queue. */
static int hand_ok(const agdf_graph *g, const agdf_node *d)
{
    return g->handoff_depth < AGDF__HANDOFF_DEPTH && !g->trace && !g->part &&
           !d->takers->busy && !d->stopped;
}

/* The hand-over itself, the put already counted; 1: the graph halted
** meanwhile. */
AGDF__HOT int hand_over(agdf_graph *g, agdf_node *d)
{
    agdf_task *c = d->takers;
    agdf_io *io = &g->io;
    void *in = io->in;
    uint32_t nin = io->nin;
    int r;

    d->takers = c->next;
    if (!d->takers)
        d->takers_tail = NULL;
    if (d->putters)             /* rule 4 for c's take */
        line_wake(g, &d->putters, &d->putters_tail);
    c->lc = 0;
    c->wait = AGDF__W_READY;    /* running (parked() tells a real suspension) */
    g->polled = 0;              /* as ready_pop: it may change a condition */
    io->in = d->buf;
    io->nin = 0;
    g->handoff_depth++;
    r = d->body(c, io);
    if (r != AGDF_DONE) {
        burst_stop(c, io, r);
    } else if (!d->count) {     /* rule 3, as the drain loop's next take */
        c->wait = AGDF__W_TAKE;
        line_push(&d->takers, &d->takers_tail, c);
    } else {
        agdf__ready_back(g, c);
    }
    burst_end(d, io);
    g->handoff_depth--;
    io->in = in;
    io->nin = nin;
    return g->halted != 0;
}

/* AGDF__PUT_SET's straight put in hand-off mode, d empty with a waiting
** consumer: the item is in d's slot; rule 5 counts it, then the hand-over
** (or the plain put). */
int agdf__handoff(agdf_task *t, agdf_node *d)
{
    agdf_graph *g = d->graph;

    if (!hand_ok(g, d)) {
        agdf__put_one(t, d);
        return 0;
    }
    t->node->stats.out++;
    d->stats.in++;
    return hand_over(g, d);
}

/* ---------------------------------------------------------------- yield */

/* The slot of n's fan-out put into d, which has room: the next of the
** window this burst keeps there, or a new one: reserve() grants this slot
** and, when no consumer is left to wake, the free slots after it, all
** counted in d, the rest kept as d's window (d->wout, d->wn).  A node's own
** queue never gets one (its takes would see the reserved slots), nor the one
** destination with items (its window is the body's, io): wmax is then 1. */
AGDF__HOT unsigned char *fan_slot(agdf_graph *g, agdf_node *n, agdf_node *d, uint32_t wmax)
{
    unsigned char *slot;
    uint32_t r;

    if (d->wn) {                              /* this burst's window: counted */
        slot = d->wout;
        d->wout = slot + d->isz;
        d->wn--;
        return slot;
    }
    slot = reserve(g, d, d == n ? 1 : wmax, &r);
    d->wout = slot + d->isz;
    d->wn = r - 1;
    if (r > 1)
        n->fan |= AGDF__FAN_HELD;
    return slot;
}

static void fan_open(agdf_node *n, agdf_io *io, uint32_t m);

/* Puts the pending item into the destinations from t->cursor on, in edge
** order, keeping windows as fan_put does (the body's burst that follows
** hands them back); parks t at the first full one (1).  The cursor lives in a local and
** is stored only when parking: this loop is the fan-out hot path. */
static int yield_more(agdf_task *t)
{
    agdf_node *n = t->node;
    agdf_graph *g = n->graph;
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = g->nodes;
    const void *item = (unsigned char *)t + n->def->out_offset;
    uint32_t i, k = n->ndst;
    uint32_t m = t->cursor ? 0 : UINT32_MAX;  /* the shortest window: none before cursor */

    for (i = t->cursor; i < k; i++) {
        agdf_node *d = &nodes[dst[i]];
        unsigned char *slot;
        if (!d->wn && d->count == d->cap) {
            park_putter(t, d, i);
            unwind_fan(n);                    /* no burst follows to hand them back */
            return 1;
        }
        slot = fan_slot(g, n, d, UINT32_MAX);   /* several destinations: no dst1 */
        d->stats.in--;                        /* counted when the put parked */
        copy_item(slot, item, d->isz);
        if (d->wn < m)
            m = d->wn;
    }
    t->cursor = k;
    t->putting = 0;
    if (m && (n->fan & AGDF__FAN_SHARE))
        fan_open(n, &g->io, m);               /* the burst that follows starts in it */
    return 0;
}

/* The put a parked task still owes, before its body resumes: straight into
** the one destination when there is one (a one-slot one with no ring
** arithmetic, and handed over in hand-off mode), else yield_more.  Forced inline: run_task
** has two copies (the traced one too), which would otherwise leave it a call. */
AGDF__HOT int put_pending(agdf_task *t)
{
    agdf_node *d = t->node->dst1;

    if (!d)
        return yield_more(t);
    if (d->cap == 1 && !d->count) {             /* queue_size 1: its one slot */
        copy_item(d->buf, (unsigned char *)t + t->node->def->out_offset, d->isz);
        t->putting = 0;                         /* counted when it parked */
        if (d->takers && d->graph->handoff && hand_ok(d->graph, d))
            return hand_over(d->graph, d);      /* 1 (halted): t's body does not resume */
        d->count = 1;
        d->head = 0;
        if (d->takers)                          /* rule 4 */
            line_wake(d->graph, &d->takers, &d->takers_tail);
        return 0;
    }
    if (!queue_put(d, (unsigned char *)t + t->node->def->out_offset)) {
        park_putter(t, d, 0);
        return 1;
    }
    t->putting = 0;
    return 0;
}

/* After a fan-out put that kept a window in every destination: the next
** yields of the burst go into all of them at once, as io's window (shared:
** io->out is the first destination's next slot, each other destination's is
** at the same offset from its d->wout, io->nout the yields left), so a
** generated body puts with a store per destination and no call (AGDF__FAN).
** The windows are cut to the shortest, the rest handed back (nothing runs
** between: no one sees it), and belong to io from now on (d->wn 0): the
** burst's end hands back what io did not use (unwind_shared).  Only for a
** node whose destinations are distinct, not itself and keep items of one
** size (AGDF__FAN_SHARE, set by agdf__node_init): the same offset then fits them
** all.  m is the shortest window, > 0 (the callers' loops saw them all). */
static void fan_open(agdf_node *n, agdf_io *io, uint32_t m)
{
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = n->graph->nodes;
    uint32_t i;

    for (i = 0; i < n->ndst; i++) {
        agdf_node *d = &nodes[dst[i]];
        d->count -= d->wn - m;
        d->stats.in -= d->wn - m;
        d->wn = 0;
    }
    n->fan &= (uint8_t)~AGDF__FAN_HELD;
    io->out = nodes[dst[0]].wout;
    io->nout = m;
    n->stats.out += m;
}

/* The copies of a put into a shared fan-out window (fan_open), whose item is
** at slot, the first destination's: into every other destination at the
** same offset of its window (none: a put into the window of a node's one
** destination).  AGDF__FAN's default (bodies written by hand); agdfc's
** bodies do it inline. */
void agdf__fan_copy(agdf_task *t, const unsigned char *slot)
{
    agdf_node *n = t->node;
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = n->graph->nodes;
    size_t off;
    uint32_t i;

    if (n->ndst < 2)
        return;
    off = (size_t)(slot - nodes[dst[0]].wout);
    for (i = 1; i < n->ndst; i++) {
        agdf_node *d = &nodes[dst[i]];
        copy_item(d->wout + off, slot, d->isz);
    }
}

/* Rule 5 from destination i on (out counted already): count every
** destination's in, and put in edge order; a full queue parks t there, its
** later destinations counted already (the reference counts them all before
** the first put: no one can look between).  A put into a destination with
** room reserves the free slots after its own (reserve(): when no consumer is
** left to wake) as a window kept in that destination (d->wout, d->wn): only
** one task runs at a time, so only this task's burst holds windows, and the
** next puts there are a copy each (agdf__yield_slow's loop).  burst_end hands
** them back (unwind_fan).  A node's own queue never gets one (its takes would
** see the reserved slots), nor the one destination with items (its window is
** the body's, io: this is then a put into a full queue, or the item-by-item
** reference of the tests).  m: the shortest window of the destinations before
** i; when every destination has one, the next yields share them (fan_open). */
AGDF__APART int fan_put(agdf_task *t, uint32_t i, uint32_t m)
{
    agdf_node *n = t->node;
    agdf_graph *g = n->graph;
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = g->nodes;
    const unsigned char *item = (unsigned char *)t + n->def->out_offset;
    uint32_t k = n->ndst, wmax = n->dst1 ? 1 : UINT32_MAX;  /* dst1: io's window */

    for (; i < k; i++) {
        agdf_node *d = &nodes[dst[i]];
        if (!d->wn && d->count == d->cap) {
            d->stats.in++;
            park_putter(t, d, i);
            while (++i < k)
                nodes[dst[i]].stats.in++;
            return 1;
        }
        copy_item(fan_slot(g, n, d, wmax), item, d->isz);
        if (d->wn < m)
            m = d->wn;
    }
    if (m && (n->fan & AGDF__FAN_SHARE))
        fan_open(n, &g->io, m);
    return 0;
}

/* Rule 5 for a yield that does not go through io's window: count out, then
** the fan-out hot path, a copy into each destination's window while they
** last (items of 0, 4, 8 or 16 bytes: moves, no call, no register saved);
** fan_put does the rest from the first destination without one. */
int agdf__yield_slow(agdf_task *t)
{
    agdf_node *n = t->node;
    const uint32_t *dst = n->def->dst;
    agdf_node *nodes = n->graph->nodes;
    const unsigned char *item = (unsigned char *)t + n->def->out_offset;
    uint32_t i, k = n->ndst, m = UINT32_MAX;

    if (n->graph->io.nout) {                  /* AGDF__PUT_ANY in a shared window: */
        agdf_io *io = &n->graph->io;          /* counted by fan_open */
        copy_item(io->out, item, nodes[dst[0]].isz);
        agdf__fan_copy(t, io->out);
        io->out += nodes[dst[0]].isz;
        io->nout--;
        return 0;
    }
    n->stats.out++;
    for (i = 0; i < k; i++) {
        agdf_node *d = &nodes[dst[i]];
        unsigned char *slot = d->wout;
        size_t isz = d->isz;
        if (!d->wn || (isz != 8 && isz != 4 && isz != 16 && isz != 0))
            return fan_put(t, i, m);
        d->wout = slot + isz;
        if (--d->wn < m)
            m = d->wn;
        if (isz == 8)
            memcpy(slot, item, 8);
        else if (isz == 4)
            memcpy(slot, item, 4);
        else if (isz == 16)
            memcpy(slot, item, 16);
    }
    if (m && (n->fan & AGDF__FAN_SHARE))      /* a resumed put kept windows: share them */
        fan_open(n, &n->graph->io, m);
    return 0;
}

/* ---------------------------------------------------------------- timers */

static int timer_before(const agdf_task *a, const agdf_task *b)
{
    if (a->w.timer.deadline != b->w.timer.deadline)
        return a->w.timer.deadline < b->w.timer.deadline;
    return a->w.timer.seq < b->w.timer.seq;
}

static void heap_push(agdf_graph *g, agdf_task *t)
{
    agdf_task **h = g->heap;
    uint32_t i = g->nheap++;

    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!timer_before(t, h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = t;
}

static agdf_task *heap_pop(agdf_graph *g)
{
    agdf_task **h = g->heap;
    agdf_task *top = h[0];
    agdf_task *last = h[--g->nheap];
    uint32_t n = g->nheap, i = 0;

    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && timer_before(h[c + 1], h[c]))
            c++;
        if (!timer_before(h[c], last))
            break;
        h[i] = h[c];
        i = c;
    }
    if (n > 0)
        h[i] = last;
    return top;
}

/* Re-inserts h[0..k) (a timer taken out leaves the rest unordered). */
void agdf__heap_rebuild(agdf_graph *g, uint32_t k)
{
    uint32_t i;

    g->nheap = 0;
    for (i = 0; i < k; i++)
        heap_push(g, g->heap[i]);    /* writes at indices <= i: h[i] read first */
}

/* t leaves the fd wait list; prev is the task before it (NULL: the head). */
void agdf__fd_unlink(agdf_graph *g, agdf_task *t, agdf_task *prev)
{
    if (prev)
        prev->next = t->next;
    else
        g->fdwait = t->next;
    if (g->fdwait_tail == t)
        g->fdwait_tail = prev;
    g->nfdwait--;
}

/* A timed fd wait whose timeout came first leaves the fd wait list. */
static void fd_expire(agdf_graph *g, agdf_task *t)
{
    agdf_task *prev = NULL, *p;

    for (p = g->fdwait; p != t; p = p->next)
        prev = p;
    agdf__fd_unlink(g, t, prev);
    t->events = (uint8_t)((t->events & ~AGDF__TO) | AGDF__EXPIRED);
}

/* A timed fd wait whose fd came first leaves the heap (O(timers): rare). */
static void timer_cancel(agdf_graph *g, agdf_task *t)
{
    uint32_t i;

    for (i = 0; g->heap[i] != t; i++)
        ;
    g->heap[i] = g->heap[g->nheap - 1];
    agdf__heap_rebuild(g, g->nheap - 1);
    t->events = (uint8_t)(t->events & ~AGDF__TO);
}

/* Moves every timer due at `now` to the ready queue, in (deadline, seq) order. */
static void timers_fire(agdf_graph *g, int64_t now)
{
    while (g->nheap > 0 && g->heap[0]->w.timer.deadline <= now) {
        agdf_task *t = heap_pop(g);
        if (t->wait == AGDF__W_POLL) {      /* AGDF_AWAIT_FOR: ready already */
            t->events = (uint8_t)((t->events & ~AGDF__TO) | AGDF__EXPIRED);
            g->polled = 0;                  /* it must run to see it */
            continue;
        }
        if (t->wait == AGDF__W_FD)
            fd_expire(g, t);
        agdf__ready_push(g, t);
    }
}

/* ---------------------------------------------------------------- waits used by the macros */

void agdf__pass(agdf_task *t)
{
    agdf__ready_push(t->node->graph, t);
}

/* A poller is ready like a pass, but counted: when every ready task is one,
** only a timer, fd or offload event can change a condition (tasks are
** cooperative), so the scheduler waits for one instead of spinning. */
void agdf__await(agdf_task *t, const char *file, int line)
{
    agdf_graph *g = t->node->graph;

    agdf__ready_push(g, t);
    t->wait = AGDF__W_POLL;
    t->w.await.file = file;
    t->w.await.line = line;
    g->npoll++;
}

/* The graph-clock deadline ms (> 0, any double) from now, saturating at
** AGDF__NEVER: the conversion never overflows, the clock never wraps. */
static int64_t deadline_after(agdf_graph *g, double ms)
{
    int64_t now = agdf__clock(g);
    double ns = ms * (double)NS_PER_MS;

    return ns < (double)(AGDF__NEVER - now) ? now + (int64_t)ns : AGDF__NEVER;
}

/* ms <= 0 (or NaN) is a pass; a deadline past what the clock can hold is
** AGDF__NEVER: the task sleeps until the run ends by a halt or a stop. */
void agdf__sleep(agdf_task *t, double ms)
{
    agdf_graph *g = t->node->graph;

    if (!(ms > 0)) {
        agdf__ready_push(g, t);
        return;
    }
    t->wait = AGDF__W_TIMER;
    t->w.timer.deadline = deadline_after(g, ms);
    t->w.timer.seq = g->timer_seq++;
    heap_push(g, t);
}

static const char *fd_wait_name(int events)
{
    return (events & AGDF__RD) ? "AGDF_WAIT_READABLE" : "AGDF_WAIT_WRITABLE";
}

/* -1 when t waits; a negative fd fails the invocation at once (the raise's
** result), a closed one when poll() reports it (poll_dispatch sets
** AGDF__BADFD, the resumed macro calls agdf__wait_bad). */
int agdf__wait_fd(agdf_task *t, int fd, int events, const char *file, int line)
{
    agdf_graph *g = t->node->graph;

    if (fd < 0)
        return agdf__raise(t, file, line, "%s of an invalid fd (%d)", fd_wait_name(events), fd);
    t->wait = AGDF__W_FD;
    t->w.fd = fd;
    t->events = (uint8_t)events;
    line_push(&g->fdwait, &g->fdwait_tail, t);
    g->nfdwait++;
    return -1;
}

int agdf__wait_bad(agdf_task *t, const char *file, int line)
{
    return agdf__raise(t, file, line, "%s of an fd that is not open", fd_wait_name(t->events));
}

/* The timer of a wait with a timeout (ms >= 0); a deadline past what the
** clock can hold is AGDF__NEVER (a timeout of some 290 years never expires). */
static void timeout_arm(agdf_graph *g, agdf_task *t, double ms)
{
    t->w.timer.deadline = deadline_after(g, ms);
    t->w.timer.seq = g->timer_seq++;
    heap_push(g, t);
}

/* The fd wait of AGDF_WAIT_*_FOR: in the fd list and in the timer heap; the
** first to fire takes it out of the other.  A negative (or NaN) ms: no
** timeout. */
int agdf__wait_fd_for(agdf_task *t, int fd, int events, double ms, const char *file, int line)
{
    int r = agdf__wait_fd(t, fd, events, file, line);

    if (r >= 0 || !(ms >= 0))
        return r;
    t->events |= AGDF__TO;
    t->cursor = (uint32_t)fd;
    timeout_arm(t->node->graph, t, ms);
    return -1;
}

/* AGDF_AWAIT_FOR: the task polls like AGDF_AWAIT (in the ready queue, counted
** in npoll) and is in the timer heap until its deadline: the heap keeps it
** from being declared unsatisfiable and lets virtual time reach the deadline. */
int agdf__await_for(agdf_task *t, double ms)
{
    t->events = 0;
    if (!(ms >= 0))
        return 0;
    t->events = AGDF__TO;
    timeout_arm(t->node->graph, t, ms);
    return 1;
}

void agdf__await_timed(agdf_task *t)
{
    agdf_graph *g = t->node->graph;

    agdf__ready_push(g, t);
    t->wait = AGDF__W_POLL;
    g->npoll++;
}

void agdf__await_done(agdf_task *t)
{
    if (t->events & AGDF__TO)
        timer_cancel(t->node->graph, t);
}

/* ---------------------------------------------------------------- fds */

/* Fills the poll scratch: fd waiters in wait order, then the wake pipe (one
** descriptor for finished offloaded calls, agdf_stop and agdf_post). */
static nfds_t poll_fill(agdf_graph *g, int *pipe_slot)
{
    struct pollfd *p = (struct pollfd *)(void *)g->fds;
    nfds_t k = 0;
    agdf_task *t;

    for (t = g->fdwait; t; t = t->next, k++) {
        p[k].fd = (t->events & AGDF__TO) ? (int)t->cursor : t->w.fd;
        p[k].events = (short)(((t->events & AGDF__RD) ? POLLIN : 0) |
                              ((t->events & AGDF__WR) ? POLLOUT : 0));
        p[k].revents = 0;
    }
    *pipe_slot = -1;
    if (g->wake_rd >= 0) {
        p[k].fd = g->wake_rd;
        p[k].events = POLLIN;
        p[k].revents = 0;
        *pipe_slot = (int)k++;
    }
    return k;
}

/* The wake pipe was readable: empty it, then take the finished calls (in
** this order, so that no call's wake-up is lost: agdf__offload_collect). */
static void wake_events(agdf_graph *g)
{
    agdf__wake_drain(g);
    agdf__offload_collect(g);
}

/* Wakes, in wait order, every fd waiter whose slot reported an event; an fd
** that is not open (POLLNVAL) is marked, and the resumed wait macro raises at
** its own line (agdf__wait_bad). */
static void poll_dispatch(agdf_graph *g)
{
    struct pollfd *p = (struct pollfd *)(void *)g->fds;
    agdf_task *t = g->fdwait, *prev = NULL, *next;
    nfds_t k = 0;

    for (; t; t = next, k++) {
        next = t->next;
        if (!p[k].revents) {
            prev = t;
            continue;
        }
        agdf__fd_unlink(g, t, prev);
        if (t->events & AGDF__TO)
            timer_cancel(g, t);
        if (p[k].revents & POLLNVAL)
            t->events |= AGDF__BADFD;
        agdf__ready_push(g, t);
    }
}

/* One poll() over the fd waiters and the offload pipe; timeout in ms, -1 = none. */
static void poll_events(agdf_graph *g, int timeout_ms)
{
    int pipe_slot;
    nfds_t n = poll_fill(g, &pipe_slot);
    struct pollfd *p = (struct pollfd *)(void *)g->fds;

    if (poll(n ? p : NULL, n, timeout_ms) <= 0)
        return;
    poll_dispatch(g);
    if (pipe_slot >= 0 && p[pipe_slot].revents)
        wake_events(g);
}

/* ---------------------------------------------------------------- host event loops
** The host polls what the graph waits on in its own poll(): the entries of
** poll_fill, copied out, and their revents handed back before the next step
** (the fd wait list must not change in between). */

int agdf_pollfds(agdf_graph *g, struct pollfd *fds, int max)
{
    int pipe_slot;
    nfds_t n = poll_fill(g, &pipe_slot);

    g->host_pipe_slot = pipe_slot;
    g->host_nfds = (int)n;
    if ((int)n > max)
        return -1;
    memcpy(fds, g->fds, n * sizeof *fds);
    return (int)n;
}

void agdf_pollfds_ready(agdf_graph *g, const struct pollfd *fds, int n)
{
    struct pollfd *p = (struct pollfd *)(void *)g->fds;
    int i;

    if (n != g->host_nfds)
        return;                 /* not the entries of the last agdf_pollfds */
    for (i = 0; i < n; i++)
        p[i].revents = fds[i].revents;
    poll_dispatch(g);
    if (g->host_pipe_slot >= 0 && p[g->host_pipe_slot].revents)
        wake_events(g);
    g->host_nfds = -1;
}

/* ---------------------------------------------------------------- set-up */

static unsigned char no_items[1];

/* Whether the yields of node i may share one window among its destinations
** (fan_open): two or more, distinct, none i itself (its takes would see the
** reserved slots), all keeping items of one size.  Set-up only: O(ndst^2). */
static int fan_ok(const agdf_graph_def *def, uint32_t i)
{
    const agdf_node_def *nd = &def->nodes[i];
    uint32_t k, j;

    if (nd->ndst < 2)
        return 0;
    for (k = 0; k < nd->ndst; k++) {
        size_t isz = def->nodes[nd->dst[k]].item_size;
        if (nd->dst[k] == i || isz == 0 || isz != def->nodes[nd->dst[0]].item_size)
            return 0;
        for (j = 0; j < k; j++)
            if (nd->dst[j] == nd->dst[k])
                return 0;
    }
    return 1;
}

void agdf__node_init(agdf_graph *g, uint32_t i, const agdf_node_mem *m)
{
    const agdf_graph_def *def = g->def;
    const agdf_node_def *nd = &def->nodes[i];
    agdf_node *n = &g->nodes[i];

    memset(n, 0, sizeof *n);
    n->def = nd;
    n->graph = g;
    n->tasks = (unsigned char *)m->tasks;
    n->buf = m->queue ? (unsigned char *)m->queue : no_items;  /* memcpy of 0 bytes */
    n->isz = nd->item_size;
    n->cap = nd->queue_size;
    n->halt = (uint8_t)(nd->halt_on_exception >= 0 ? nd->halt_on_exception != 0
                                                    : def->halt_on_exception != 0);
    n->ndst = nd->ndst;
    n->body = nd->body;
    /* The inline yield copies the source's item size into dst1's ring: only a
    ** destination that keeps the items (item_size > 0; the typed edge makes the
    ** sizes equal) may take that path; the others go through agdf__yield_slow. */
    n->dst1 = nd->ndst == 1 && def->nodes[nd->dst[0]].item_size ? &g->nodes[nd->dst[0]] : NULL;
    n->fan = fan_ok(def, i) ? AGDF__FAN_SHARE : 0;
    if (n->tasks && nd->ntasks)
        memset(n->tasks, 0, (size_t)nd->ntasks * nd->task_size);
}

/* Rule 1: every task ready, in node declaration order, then task index. */
void agdf__tasks_init(agdf_graph *g, agdf_node *n)
{
    uint32_t k;

    for (k = 0; k < n->def->ntasks; k++) {
        agdf_task *t = (agdf_task *)(void *)(n->tasks + (size_t)k * n->def->task_size);
        t->node = n;
        t->index = k;
        agdf__ready_push(g, t);
    }
    n->task0 = g->ntasks;
    g->ntasks += n->def->ntasks;
}

/* What agdf_init sets before the nodes (agdf_mt.c's threads too). */
void agdf__graph_init(agdf_graph *g, const agdf_graph_def *def, const agdf_graph_mem *mem)
{
    memset(g, 0, sizeof *g);
    g->def = def;
    g->nodes = mem->nodes;
    g->nnodes = def->nnodes;
    g->heap = mem->timers;
    g->fds = mem->fds;
    g->errors = mem->errors;
    g->err_cap = mem->errors ? def->max_exceptions : 0;
    g->log = agdf_log_default;
    g->wake_rd = g->wake_wr = -1;
    g->host_nfds = -1;
    g->epoch = mono_ns();
    agdf__offload_init(g, mem->workers, mem->nworkers);
}

void agdf_init(agdf_graph *g, const agdf_graph_def *def, const agdf_graph_mem *mem)
{
    uint32_t i;
    int traced = agdf__trace_reinit(g);     /* an open trace follows g's runs */

    agdf__graph_init(g, def, mem);
    for (i = 0; i < def->nnodes; i++) {
        agdf_node_mem m;
        if (mem->node_mem) {
            m = mem->node_mem[i];
        } else {
            const agdf_node_off *o = &mem->node_off[i];
            unsigned char *base = (unsigned char *)mem->base;
            m.tasks = base + o->tasks;
            m.queue = o->queue ? base + o->queue : NULL;
        }
        agdf__node_init(g, i, &m);
    }
    for (i = 0; i < def->nnodes; i++)
        agdf__tasks_init(g, &g->nodes[i]);
    if (traced)
        agdf__trace_attach(g);
}

int agdf_start(agdf_graph *g, uint32_t node, const void *item)
{
    static const unsigned char none[1];

    /* Inside agdf_step (a body, a logger) a queue may hold a burst's reserved slots. */
    if (node >= g->nnodes || g->finished || g->stepping || (!item && g->nodes[node].isz))
        return -1;
    if (!queue_put(&g->nodes[node], item ? item : none))
        return -1;
    g->started++;
    return 0;
}

uint32_t agdf_started(const agdf_graph *g)
{
    return g->started;
}

/* ---------------------------------------------------------------- options */

void agdf_set_virtual_time(agdf_graph *g, int on)
{
    int64_t now = agdf__clock(g);

    g->virtual_time = on != 0;
    g->now = g->running ? now : 0;
    if (!g->virtual_time)
        g->epoch = mono_ns() - now;     /* real clock continues from here */
}

void agdf_set_logger(agdf_graph *g, agdf_log_fn fn, void *ud)
{
    g->log = fn;
    g->log_ud = ud;
}

int agdf_set_data_flow_logging(agdf_graph *g, uint32_t interval_ms,
                               const char *const *nodes, const char *format)
{
    const char *const *p;

    for (p = nodes; p && *p; p++) {
        if (agdf_node_index(g, *p) < 0)
            return -1;
    }
    g->log_interval = (int64_t)interval_ms * NS_PER_MS;
    g->log_next = sat_add(agdf__clock(g), g->log_interval);
    g->log_nodes = nodes;
    g->log_format = format;
    return 0;
}

/* ---------------------------------------------------------------- running */

/* A task parked in a yield first finishes its put (rule 5: in edge order,
** parking again at a full queue), then its body resumes. */
AGDF__HOT void run_task(agdf_graph *g, agdf_task *t)
{
    (void)g;
    if (t->putting && put_pending(t))
        return;
    agdf__drain(t);
}

/* run_task as one slice of an open trace (agdf_trace.c). */
static void run_traced(agdf_graph *g, agdf_task *t)
{
    agdf__trace_begin(g, t);
    run_task(g, t);
    agdf__trace_end(g, t);
}

static int pending(const agdf_graph *g)
{
    return g->nheap || g->nfdwait || g->noffload;
}

/* A task parked in a yield owes its item to the destinations from its
** cursor on; their `in` counted it at the yield (rule 5), so each of them
** counts it as dropped when the run ends before the put is done. */
static void discard_puts(agdf_graph *g, agdf_node *n)
{
    uint32_t k, i;

    for (k = 0; k < n->def->ntasks; k++) {
        agdf_task *t = (agdf_task *)(void *)(n->tasks + (size_t)k * n->def->task_size);
        if (!t->putting)
            continue;
        for (i = t->cursor; i < n->ndst; i++)
            g->nodes[n->def->dst[i]].stats.dropped++;
        t->putting = 0;
    }
}

/* Queued items that will never run, and items owed by parked yields, are
** counted, never dropped silently. */
static void discard_queues(agdf_graph *g)
{
    uint32_t i;

    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        n->stats.dropped += n->count;
        n->count = 0;
        discard_puts(g, n);
    }
}

void agdf__finish(agdf_graph *g)
{
    g->finished = 1;
    g->running = 0;
    if (g->part)
        return;                 /* a thread of a threaded run: agdf_mt.c ends them all */
    agdf__offload_stop(g);
    agdf__post_stop(g);
    discard_queues(g);
    agdf__wake_close(g);
}

/* Between batches: completed offloads, ready fds, due timers, a due log. */
static void collect(agdf_graph *g)
{
    if (g->nfdwait || g->noffload)
        poll_events(g, 0);
    if (g->virtual_time) {
        timers_fire(g, g->now);
        return;
    }
    if (g->nheap || g->log_interval) {
        int64_t now = agdf__clock(g);
        timers_fire(g, now);
        if (g->log_interval && now >= g->log_next) {
            agdf__log_flow(g);
            g->log_next = sat_add(now, g->log_interval);
        }
    }
}

/* Virtual time, nothing ready: advance the clock to the next event. */
static void virtual_advance(agdf_graph *g)
{
    int64_t next = g->heap[0]->w.timer.deadline;

    if (g->log_interval && g->log_next < next) {
        g->now = g->log_next;
        agdf__log_flow(g);
        g->log_next = sat_add(g->log_next, g->log_interval);
        return;
    }
    g->now = next;
    timers_fire(g, next);
}

/* Nothing ready and something pending: ns until the next deadline, -1 if none
** (a sleep "forever" sets no deadline). */
static int64_t idle_wait(agdf_graph *g)
{
    int64_t now = agdf__clock(g), next = -1;

    if (g->log_interval && now >= g->log_next) {
        agdf__log_flow(g);
        g->log_next = sat_add(g->virtual_time ? g->log_next : now, g->log_interval);
    }
    if (g->nheap && g->heap[0]->w.timer.deadline != AGDF__NEVER)
        next = g->heap[0]->w.timer.deadline;
    if (g->log_interval && next >= 0 && g->log_next < next)
        next = g->log_next;
    if (g->log_interval && !g->virtual_time && next < 0)
        next = g->log_next;         /* only fds/offloads: still report on time */
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

static int64_t ns_to_ms_up(int64_t ns)
{
    return ns < 0 ? -1 : ns / NS_PER_MS + (ns % NS_PER_MS != 0);
}

/* Between batches (rule 6): events in, then the next batch, or the reason
** there is none: AGDF_STEP_DONE or AGDF_STEP_WAIT (with *wait_ms), or -1 to
** look again (a deadline came due, virtual time advanced, pollers failed). */
static int next_batch(agdf_graph *g, int64_t *wait_ms)
{
    if (g->nready && !(g->nfdwait | g->noffload | g->nheap | g->npoll |
                       (uint32_t)AGDF__LOAD(g->attn)) && !g->log_interval) {
        g->batch = g->nready;       /* nothing to collect: the common case */
        return AGDF_STEP_READY;
    }
    if (AGDF__LOAD(g->attn) && agdf__host_events(g))
        return AGDF_STEP_DONE;
    collect(g);
    if (g->nclose)
        agdf__close_tick(g);        /* a node's input finished: its on_close starts */
    if (g->npoll && g->nready == g->npoll && !g->polled) {
        g->polled = 1;              /* one round of re-checks, then wait */
    } else if (g->nready == g->npoll) { /* nothing, or only stale polls, ready */
        if (!pending(g)) {
            if (g->nopen) {         /* alive: only the host can go on */
                *wait_ms = ns_to_ms_up(idle_wait(g));
                return AGDF_STEP_IDLE;
            }
            if (g->npoll) {         /* no event can ever satisfy them */
                agdf__await_deadlock(g);
                if (!g->halted)
                    return -1;
            }
            agdf__finish(g);
            return AGDF_STEP_DONE;
        }
        if (g->virtual_time && g->nheap && g->heap[0]->w.timer.deadline != AGDF__NEVER) {
            idle_wait(g);
            virtual_advance(g);
            return -1;
        }
        *wait_ms = ns_to_ms_up(idle_wait(g));
        return *wait_ms == 0 ? -1 : g->nopen ? AGDF_STEP_IDLE : AGDF_STEP_WAIT;
    }
    g->batch = g->nready;
    return AGDF_STEP_READY;
}

static int step(agdf_graph *g, uint32_t budget, int64_t *wait_ms)
{
    int r;

    if (g->finished)
        return AGDF_STEP_DONE;
    if (!g->running) {
        g->running = 1;
        g->log_next = sat_add(agdf__clock(g), g->log_interval);
    }
    while (budget > 0) {
        uint32_t batch = g->batch, k;
        if (batch == 0) {
            if ((r = next_batch(g, wait_ms)) < 0)
                continue;
            if (r != AGDF_STEP_READY)
                return r;
            batch = g->batch;
        }
        k = batch < budget ? batch : budget;    /* resumptions of this round */
        g->batch = batch - k;
        budget -= k;
        for (; k > 0; k--) {
            agdf_task *t = ready_pop(g);
            if (g->trace)       /* the one test tracing costs when it is off */
                run_traced(g, t);
            else
                run_task(g, t);
            if (g->halted) {
                agdf__finish(g);
                return AGDF_STEP_DONE;
            }
        }
    }
    return AGDF_STEP_READY;
}

/* g->stepping marks the time bodies may run: agdf_start refuses then, since
** a burst may hold reserved slots of the queue it would put into. */
int agdf_step(agdf_graph *g, uint32_t budget, int64_t *wait_ms)
{
    int64_t dummy;
    int r;

    if (!wait_ms)
        wait_ms = &dummy;
    *wait_ms = 0;
    if (g->mtc && g->mtc->nthreads > 1 && !g->part)
        return -1;                  /* set to several threads: agdf_run only */
    g->stepping = 1;
    r = step(g, budget, wait_ms);
    g->stepping = 0;
    return r;
}

void agdf_wait(agdf_graph *g, int64_t timeout_ms)
{
    int ms = timeout_ms < 0 ? -1 : timeout_ms > 0x7fffffff ? 0x7fffffff : (int)timeout_ms;

    if (g->nfdwait || g->noffload || g->wake_rd >= 0) {
        poll_events(g, ms);
        return;
    }
    if (ms != 0)
        poll(NULL, 0, ms);          /* -1: only sleeps "forever" are left */
}

agdf_status agdf_run(agdf_graph *g)
{
    int64_t ms;
    int r;

    if (g->mtc && g->mtc->nthreads > 1)
        return agdf__mt_run(g);

    while ((r = agdf_step(g, UINT32_MAX, &ms)) != AGDF_STEP_DONE) {
        if (r == AGDF_STEP_IDLE && !pending(g))
            return AGDF_IDLE;       /* waits for its host: push or close, run again */
        if (r != AGDF_STEP_READY)
            agdf_wait(g, ms);
    }
    return agdf_result(g);
}

agdf_status agdf_result(const agdf_graph *g)
{
    if (g->halted)
        return AGDF_HALTED;
    if (g->stop_done)
        return AGDF_STOPPED;
    return g->total_err ? AGDF_ERRORS : AGDF_OK;
}

/* ---------------------------------------------------------------- errors and halting */

/* Records a raise of task t in g's pool (agdf_mt.c: the main graph's, for a
** task of any thread): the graph's oldest record goes when the
** pool is full, so each node keeps its most recent records; the message is cut
** to the record's AGDF_ERROR_MSG - 1 bytes (the log line has all of it). */
void agdf__error_record(agdf_graph *g, agdf_task *t, const char *file, int line,
                        const char *msg)
{
    uint32_t node = (uint32_t)(t->node - t->node->graph->nodes);  /* g: the pool's graph */
    agdf_node *n = &g->nodes[node];
    agdf_error *e;
    uint32_t slot;
    size_t k = strlen(msg);

    if (!g->err_cap)
        return;
    if (g->err_count == g->err_cap) {
        g->nodes[g->errors[g->err_head].node].nerrors--;
        g->err_head = g->err_head + 1 == g->err_cap ? 0 : g->err_head + 1;
        g->err_count--;
    }
    slot = g->err_head + g->err_count;
    if (slot >= g->err_cap)
        slot -= g->err_cap;
    g->err_count++;
    n->nerrors++;
    e = &g->errors[slot];
    e->file = file;
    e->line = line;
    e->task = t->index;
    e->node = node;
    if (k >= sizeof e->msg)
        k = sizeof e->msg - 1;
    memcpy(e->msg, msg, k);
    e->msg[k] = '\0';
}

void agdf__halt(agdf_graph *g, const agdf_node *n)
{
    g->halted = 1;              /* drain loops stop; finish() empties the queues */
    agdf__log_halt(g, n);
    if (g->part)
        agdf__mt_halt(g);       /* every thread stops at its next batch */
}

/* The error is counted and recorded here, formatted and logged by agdf_log.c,
** and the halt decided here; AGDF__HALTED when it halts the graph (the body
** returns that, and its drain loop stops), else AGDF_DONE. */
int agdf__raise(agdf_task *t, const char *file, int line, const char *fmt, ...)
{
    agdf_node *n = t->node;
    agdf_graph *g = n->graph;
    char msg[AGDF__ERROR_TEXT];
    va_list ap;

    va_start(ap, fmt);
    agdf__format_error(msg, fmt, ap);
    va_end(ap);
    if (g->part)                /* threads: one pool, under a lock */
        agdf__mt_record(g, t, file, line, msg);
    else
        agdf__error_record(g, t, file, line, msg);
    n->stats.err++;
    g->total_err++;
    agdf__log_error(g, n, msg, file, line);
    AGDF__TRACED(g, agdf__trace_raise(g, t, msg, file, line, n->halt != 0));
    if (!n->halt)
        return AGDF_DONE;
    agdf__halt(g, n);
    return AGDF__HALTED;
}

int agdf__lost(agdf_task *t, const char *file, int line)
{
    return agdf__raise(t, file, line, "lost resume point %d (a suspension inside a switch?)",
                       t->lc);
}

/* ---------------------------------------------------------------- inspection */

const agdf_stats *agdf_node_stats(const agdf_graph *g, uint32_t node)
{
    return node < g->nnodes ? &g->nodes[node].stats : NULL;
}

uint32_t agdf_error_count(const agdf_graph *g, uint32_t node)
{
    return node < g->nnodes ? g->nodes[node].nerrors : 0;
}

/* A walk of the pool, oldest first: an inspection call, not on any run path. */
const agdf_error *agdf_error_at(const agdf_graph *g, uint32_t node, uint32_t i)
{
    uint32_t k, slot = g->err_head;

    if (node >= g->nnodes || i >= g->nodes[node].nerrors)
        return NULL;
    for (k = 0; k < g->err_count; k++) {
        if (g->errors[slot].node == node && i-- == 0)
            return &g->errors[slot];
        slot = slot + 1 == g->err_cap ? 0 : slot + 1;
    }
    return NULL;
}

uint32_t agdf_node_count(const agdf_graph *g)
{
    return g->nnodes;
}

const char *agdf_node_name(const agdf_graph *g, uint32_t node)
{
    return node < g->nnodes ? g->nodes[node].def->name : NULL;
}

int agdf_node_index(const agdf_graph *g, const char *name)
{
    uint32_t i;

    for (i = 0; name && i < g->nnodes; i++) {
        if (strcmp(g->nodes[i].def->name, name) == 0)
            return (int)i;
    }
    return -1;
}
