/*
** agdf_mt.c — a graph run on several threads (docs/threads.md).  Each thread
** runs an ordinary scheduler (agdf.c's step loop, so the six rules hold within
** it) over its partition: an agdf_graph over its own copy of the node table,
** same nodes in the same order, where a node placed on this thread has its
** tasks and queue and a node placed elsewhere has none.  Thread 0 is the
** caller's and runs the main graph itself; threads 1 .. n-1 are pthreads
** running the agdf_part graphs.  An edge from a thread to a node elsewhere is
** a ring (agdf_ring.h) of the destination's queue_size: in the producer's
** partition the destination is a *shadow*, a node with no tasks whose queue
** is the ring's storage, so agdf.c's puts (windows, fan-out, queue_size 1,
** backpressure at a full queue) write the ring's slots directly.  At every
** batch boundary (agdf__mt_sync, from next_batch) a thread publishes what its
** shadows gained (one release store per ring), learns the room its consumers
** released when it needs it (half a ring at a time, so that the two threads
** work on the two halves at once), and moves the items of its incoming rings
** into the real nodes' queues (rule 4 wakes their consumers); a batch of long
** work is cut into slices, between which the thread does the same (see
** "slices" below).  A thread with nothing to do sleeps on one futex word, its
** bell, armed before a last look at its rings (the Dekker handshake of
** agdf_ring.h: a publisher stores the ring's head, then loads the bell), and
** a thread with fd waiters or offloaded calls sleeps in poll() on its wake
** pipe instead.  The run ends
** when every thread is idle with nothing pending: a thread counts itself in
** `nidle` only after a last look found nothing, and whoever wakes a counted
** thread takes its count away, so the count reaches n only when no item is
** in flight.  After the join, thread 0 counts what is left in rings and
** queues as dropped and sums every partition's counters into the main
** graph's node records: statistics are exact.  No memory is allocated: every
** table is the generated code's (agdf_mt_mem).
*/
#define _GNU_SOURCE 1   /* syscall(2) */
#include "agdf_internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

typedef char agdf__mt_mutex_fits[sizeof(pthread_mutex_t) <= sizeof(agdf__mt_sys) ? 1 : -1];
typedef char agdf__mt_thread_fits[sizeof(pthread_t) <= sizeof(agdf__mt_sys) ? 1 : -1];

#define MUTEX(s) ((pthread_mutex_t *)(void *)(s).bytes)
#define THREAD(s) ((pthread_t *)(void *)(s).bytes)

#define XCHG(x, v) __atomic_exchange_n(&(x), (v), __ATOMIC_SEQ_CST)
#define ADD(x, v) __atomic_add_fetch(&(x), (v), __ATOMIC_SEQ_CST)

/* A thread's bell (agdf_part.bell, its futex word). */
enum {
    BELL_RUN,           /* running */
    BELL_WAIT,          /* asleep (or about to be) with timers pending, not counted idle */
    BELL_IDLE,          /* asleep, counted in nidle */
    BELL_POLL           /* asleep in poll() on its wake pipe (fds, offloads) */
};

#define START_NONE (~(uint64_t)0)   /* agdf_ring.start: no restart published */

/* Looks at its rings before a thread with nothing to do sleeps, while another
** thread works (a futex sleep and wake-up costs microseconds: a burst that
** arrives meanwhile is taken at once); bounded, so an idle graph sleeps. */
#ifndef AGDF_MT_SPIN
#define AGDF_MT_SPIN 200
#endif

static void mt_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Storage this partition needs from the generated tables. */
static agdf_graph *part_graph(agdf_mt *mt, uint32_t t)
{
    return t ? &mt->mem.parts[t].g : mt->g;
}

static uint32_t total_tasks(const agdf_graph_def *def)
{
    uint32_t i, k = 0;

    for (i = 0; i < def->nnodes; i++)
        k += def->nodes[i].ntasks;
    return k;
}

/* ---------------------------------------------------------------- sleeping */

static void bell_sleep(uint32_t *bell, uint32_t armed, int64_t ms)
{
#if defined(__linux__)
    struct timespec ts, *tp = NULL;

    if (ms >= 0) {
        ts.tv_sec = (time_t)(ms / 1000);
        ts.tv_nsec = (long)(ms % 1000) * 1000000L;
        tp = &ts;
    }
    syscall(SYS_futex, bell, FUTEX_WAIT_PRIVATE, armed, tp, (void *)0, 0);
#else
    struct timespec ts = {0, 50000};

    (void)ms;
    if (AGDF__LOAD_SC(*bell) == armed)
        nanosleep(&ts, (struct timespec *)0);
#endif
}

/* Wakes thread t if it sleeps, taking over its idle count (see the top). */
static void bell_ring(agdf_mt *mt, uint32_t t)
{
    agdf_part *q = &mt->mem.parts[t];
    uint32_t b;
    int fd;

    if (!AGDF__LOAD_SC(q->bell))
        return;
    b = XCHG(q->bell, (uint32_t)BELL_RUN);
    if (b == BELL_IDLE)
        ADD(mt->nidle, (uint32_t)-1);
    if (b == BELL_POLL) {       /* as agdf_stop writes: never to a closed pipe */
        agdf_graph *g = part_graph(mt, t);
        AGDF__ADD_SC(g->waking, 1);
        fd = AGDF__LOAD_SC(g->wake_wr);
        if (fd >= 0)
            (void)!write(fd, "", 1);
        AGDF__ADD_SC(g->waking, -1);
    } else if (b) {
#if defined(__linux__)
        syscall(SYS_futex, &q->bell, FUTEX_WAKE_PRIVATE, 1, (void *)0, (void *)0, 0);
#endif
    }
}

static void ring_all(agdf_mt *mt)
{
    uint32_t t;

    for (t = 0; t < mt->nthreads; t++)
        bell_ring(mt, t);
}

/* mt->stop_req takes the main graph's stop_req if larger (a stop never
** weakens; two stops racing keep the stronger).  The other threads read the
** copy: the main graph's own line is written by thread 0 at every batch. */
static void stop_copy(agdf_mt *mt)
{
    uint32_t want = (uint32_t)AGDF__LOAD(mt->g->stop_req), have = AGDF__LOAD_SC(mt->stop_req);

    while (have < want &&
           !__atomic_compare_exchange_n(&mt->stop_req, &have, want, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
        ;
}

/* agdf_stop: after storing the request, which every thread must see. */
void agdf__mt_kick(agdf_mt *mt)
{
    stop_copy(mt);
    ring_all(mt);
}

void agdf__mt_halt(agdf_graph *g)
{
    agdf_mt *mt = g->part->mt;

    AGDF__STORE_SC(mt->halt, 1);
    ring_all(mt);
}

/* ---------------------------------------------------------------- rings */

/* The producer's side: the room its consumer released goes back to the
** shadow (oldest items first), and one parked producer is woken per item
** (rule 4 of the take that made the room).  During the run (wake) a ring of
** 4 or more takes it back half a ring at a time: the shadow never shows more
** than half its slots free, so the producer's window (agdf.c's reserve, all
** the free slots) is half a ring, its batch ends and is published there, and
** the consumer takes one half while the producer fills the other.  Taken
** whole, the room came back only after a full ring had been filled, crossed
** and taken: the two threads took turns.  Room released and not yet taken
** back is taken at the next sync or look (the shadow is then half full, or a
** producer waits), with no help from the consumer: the backpressure and
** the capacity are the queue's.  At the end (!wake) everything is taken back,
** so that what is left is counted once. */
static void shadow_release(agdf_ring *r, int wake)
{
    agdf_node *s = r->shadow;
    uint32_t t = AGDF__RING_LOAD_SC(&r->tail), k = t - r->p_tail, half = s->cap / 2,
             room = s->cap - s->count;

    if (wake && s->cap >= 4)
        k = room >= half ? 0 : k < half - room ? k : half - room;
    if (!k)
        return;
    r->p_tail += k;
    s->count -= k;
    s->head += k;
    if (s->head >= s->cap)
        s->head -= s->cap;
    while (wake && k-- && s->putters)
        agdf__wake_putter(s);
}

/* What the shadow gained since the last publish becomes visible to the
** consumer.  A shadow that ran empty may have restarted at slot 0 (agdf.c's
** puts do so): then the slot where the new items start is published first. */
static void shadow_publish(agdf_mt *mt, agdf_ring *r)
{
    agdf_node *s = r->shadow;
    uint32_t held = r->p_head - r->p_tail, k = s->count - held, pos;

    if (!k)
        return;
    pos = s->head + held;
    if (pos >= s->cap)
        pos -= s->cap;
    if (pos != r->p_pos)
        __atomic_store_n(&r->start, (uint64_t)r->p_head << 32 | pos, __ATOMIC_RELAXED);
    r->p_head += k;
    pos += k;
    r->p_pos = pos >= s->cap ? pos - s->cap : pos;
    AGDF__RING_STORE_SC(&r->head, r->p_head);   /* release: slots and start */
    bell_ring(mt, r->c_thread);
}

/* The consumer's side: items of ring r move into the real node's queue while
** it has room (a copy per item, in at most three pieces), are released, and
** wake its consumers (rule 4); a producer parked on the full shadow is woken. */
static void ring_consume(agdf_mt *mt, agdf_ring *r)
{
    agdf_node *d = r->dst;
    uint32_t h = r->c_head, k, moved, cap = d->cap;
    uint64_t st;

    if (h == r->c_tail)
        r->c_head = h = AGDF__RING_LOAD_SC(&r->head);
    k = h - r->c_tail;
    if (k > cap - d->count)
        k = cap - d->count;
    if (!k)
        return;
    st = __atomic_load_n(&r->start, __ATOMIC_RELAXED);
    if (st != START_NONE && (uint32_t)(st >> 32) == r->c_tail) {
        r->c_pos = (uint32_t)st;
        __atomic_store_n(&r->start, START_NONE, __ATOMIC_RELAXED);
    }
    if (d->count == 0)
        d->head = 0;
    for (moved = k; k;) {
        uint32_t slot = d->head + d->count, m = k;
        if (slot >= cap)
            slot -= cap;
        if (m > cap - slot)
            m = cap - slot;
        if (m > cap - r->c_pos)
            m = cap - r->c_pos;
        if (d->isz)
            memcpy(d->buf + (size_t)slot * d->isz, r->slots + (size_t)r->c_pos * d->isz,
                   (size_t)m * d->isz);
        d->count += m;
        r->c_pos += m;
        if (r->c_pos == cap)
            r->c_pos = 0;
        k -= m;
    }
    r->c_tail += moved;
    AGDF__RING_STORE_SC(&r->tail, r->c_tail);
    if (AGDF__RING_LOAD_SC(&r->p_wait))
        bell_ring(mt, r->p_thread);
    while (moved-- && d->takers)
        agdf__wake_taker(d);
}

/* A spread node's home hands a share of its queue (its oldest items: the
** node's order is not kept across its threads anyway) to the replica of ring
** r, as much as the ring has room for; each item taken wakes a producer
** parked at the home's full queue (rule 4). */
static void ring_balance(agdf_mt *mt, agdf_ring *r)
{
    agdf_node *s = r->shadow;
    uint32_t k = s->count / r->p_balance, cap = s->cap, moved;

    if (!k)
        return;
    if (k > cap - (r->p_head - r->p_tail))
        r->p_tail = AGDF__RING_LOAD_SC(&r->tail);
    if (k > cap - (r->p_head - r->p_tail))
        k = cap - (r->p_head - r->p_tail);
    for (moved = k; k;) {
        uint32_t m = k;
        if (m > cap - s->head)
            m = cap - s->head;
        if (m > cap - r->p_pos)
            m = cap - r->p_pos;
        if (s->isz)
            memcpy(r->slots + (size_t)r->p_pos * s->isz, s->buf + (size_t)s->head * s->isz,
                   (size_t)m * s->isz);
        s->head += m;
        if (s->head == cap)
            s->head = 0;
        s->count -= m;
        r->p_pos += m;
        if (r->p_pos == cap)
            r->p_pos = 0;
        k -= m;
    }
    if (!moved)
        return;
    r->p_head += moved;
    AGDF__RING_STORE_SC(&r->head, r->p_head);
    bell_ring(mt, r->c_thread);
    while (moved-- && s->putters)
        agdf__wake_putter(s);
}

static agdf_ring *ring_at(agdf_mt *mt, uint32_t i)
{
    return i ? &mt->mem.rings[i - 1] : NULL;
}

/* Every ring of thread p, both ways: incoming items first (a spread node's
** home then shares them).  publish: also what its shadows gained and the
** spread nodes' shares (not in the look before sleeping: done already).
** busy: the node whose burst runs (a slice), whose queue takes nothing from
** the rings until the burst ends: a burst drains what its queue held, as on
** one thread, and ends. */
static void part_rings(agdf_mt *mt, agdf_part *p, int publish, const agdf_node *busy)
{
    agdf_ring *r;

    for (r = ring_at(mt, p->in); r; r = ring_at(mt, r->c_next)) {
        if (r->dst != busy)
            ring_consume(mt, r);
    }
    for (r = ring_at(mt, p->out); r; r = ring_at(mt, r->p_next)) {
        agdf_node *s = r->shadow;
        if (r->p_balance) {
            if (publish)
                ring_balance(mt, r);
            continue;
        }
        if (s->putters || 2 * (uint64_t)s->count >= s->cap)
            shadow_release(r, 1);
        if (publish)
            shadow_publish(mt, r);
    }
}

/* 1: the run is over for this thread (halt, every thread idle) or a stop
** request waits to be applied: it must not sleep. */
static int part_flags(agdf_mt *mt, agdf_graph *g)
{
    return AGDF__LOAD(mt->halt) || AGDF__LOAD(mt->done) ||
           (int)AGDF__LOAD(mt->stop_req) != g->stop_done;
}

int agdf__mt_sync(agdf_graph *g)
{
    agdf_part *p = g->part;
    agdf_mt *mt = p->mt;
    int stop;

    if (mt->log_interval && p->thread) {        /* data-flow reports read counters here */
        pthread_mutex_unlock(MUTEX(p->snap));
        pthread_mutex_lock(MUTEX(p->snap));
    }
    AGDF__STORE(g->attn, 1);                    /* every batch comes here */
    if (p->looked) {            /* part_sleep just looked: no task ran since */
        p->looked = 0;
        return 0;
    }
    if (AGDF__LOAD(mt->halt) || AGDF__LOAD(mt->done)) {
        g->halted = AGDF__LOAD(mt->halt) != 0;
        return 1;
    }
    stop = (int)AGDF__LOAD(mt->stop_req);
    if (g != mt->g && stop != AGDF__LOAD(g->stop_req))
        AGDF__STORE(g->stop_req, stop);         /* applied by agdf__host_events */
    p->work = 0;                                /* the rings are serviced: a slice starts */
    part_rings(mt, p, 1, NULL);
    return 0;
}

/* The last thread to count itself idle ends the run only if every bell still
** says so: a thread woken (by another, or by its timeout) is counted until
** its count is taken away, and its bell says so first. */
static int all_idle(agdf_mt *mt)
{
    uint32_t t;

    for (t = 0; t < mt->nthreads; t++) {
        if (AGDF__LOAD_SC(mt->mem.parts[t].bell) != BELL_IDLE)
            return 0;
    }
    return 1;
}

/* Nothing ready: sleep until work, a stop, a halt or the end (1).  idle: no
** timer, fd or offload is pending either, so this thread may be the last to
** go idle; else it sleeps at most ms (-1: no limit). */
static int part_sleep(agdf_part *p, int idle, int64_t ms)
{
    agdf_mt *mt = p->mt;
    agdf_graph *g = p->pg;
    uint32_t arm = BELL_WAIT, b, spin;
    agdf_ring *r;

    for (spin = 0; spin < AGDF_MT_SPIN && AGDF__LOAD(mt->nidle) + 1 < mt->nthreads; spin++) {
        part_rings(mt, p, 0, NULL);             /* another thread works: wait a little */
        if (part_flags(mt, g))
            return 0;
        if (g->nready > g->npoll) {
            p->looked = !p->balances;           /* the next sync would do it again */
            return 0;
        }
        mt_pause();
    }
    if (!idle && (g->nfdwait || g->noffload) && agdf_wake_fd(g) >= 0)
        arm = BELL_POLL;
    for (r = ring_at(mt, p->out); r; r = ring_at(mt, r->p_next)) {
        if (r->shadow->putters)
            AGDF__RING_STORE_SC(&r->p_wait, 1u);   /* a release wakes us */
    }
    AGDF__STORE_SC(p->bell, arm);
    if (!part_flags(mt, g))
        part_rings(mt, p, 0, NULL);             /* the last look, after arming */
    if (part_flags(mt, g) || g->nready > g->npoll) {   /* polls: only work wakes them */
        b = XCHG(p->bell, (uint32_t)BELL_RUN);
        goto awake;
    }
    if (mt->log_interval && p->thread)
        pthread_mutex_unlock(MUTEX(p->snap));
    if (idle) {
        b = BELL_WAIT;
        if (!__atomic_compare_exchange_n(&p->bell, &b, (uint32_t)BELL_IDLE, 0,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            ;                                   /* woken already (counted out) */
        } else if (ADD(mt->nidle, 1u) == mt->nthreads && all_idle(mt)) {
            AGDF__STORE_SC(mt->done, 1u);       /* nothing in flight anywhere: the end */
            ring_all(mt);
        } else {
            do                                  /* a ring, or the next report */
                bell_sleep(&p->bell, BELL_IDLE, ms);
            while (ms < 0 && AGDF__LOAD_SC(p->bell) == BELL_IDLE);
        }
    } else if (arm == BELL_POLL) {
        agdf_wait(g, ms);
    } else {
        bell_sleep(&p->bell, BELL_WAIT, ms);
    }
    p->sleeps++;
    if (mt->log_interval && p->thread)
        pthread_mutex_lock(MUTEX(p->snap));
    b = XCHG(p->bell, (uint32_t)BELL_RUN);
awake:
    if (b == BELL_IDLE)
        ADD(mt->nidle, (uint32_t)-1);           /* woken by no one: undo our count */
    for (r = ring_at(mt, p->out); r; r = ring_at(mt, r->p_next))
        AGDF__RING_STORE_SC(&r->p_wait, 0u);
    return AGDF__LOAD_SC(mt->done) != 0;
}

/* ---------------------------------------------------------------- slices */

/* A thread services its rings at every batch boundary.  A batch of long work
** (windows of items that each take microseconds) would leave them unserviced
** for its whole length: the ring into this thread fills and its producer
** parks, the items this thread made wait unpublished, and the other thread
** runs dry (a spread node's home and replica took turns instead of running
** together: docs/threads.md).  So in a threaded run every body is called
** through slice_body, which knows what an item of each node costs on this
** thread (ITEM_NS: timed on its first invocation, on every window it cuts, and
** on one invocation every AGDF_MT_SAMPLE items of the thread).  A window of
** more than a slice (AGDF_MT_SLICE_NS) of work is cut to a slice's items, the
** rest taken again by the same burst (rule 2 unchanged: the task drains its
** queue), and once the work since the last service adds up to a slice, at
** the end of a window, the thread services its rings as at a batch boundary
** (slice_service), its running node's own queue excepted.  A window of cheap
** items costs the call and a multiply, two compares and two adds; no clock. */
#ifndef AGDF_MT_SLICE_NS
#define AGDF_MT_SLICE_NS 20000
#endif
#define AGDF_MT_SAMPLE 1024     /* items of a thread between two timed windows */

/* A node's cost per item on this thread, ns (1 .. the slice; 0: not timed
** yet) lives in its record's trace field: a threaded run is never traced
** (agdf_trace_open and agdf_set_threads refuse it), and a node record has no
** byte to spare (192, three cache lines). */
#define ITEM_NS(n) ((n)->traced)

/* Between two invocations of n's burst: the windows are ended (what the
** rings see is written and counted), then the rings serviced, n's own queue
** excepted. */
static void slice_service(agdf_part *p, agdf_node *n)
{
    agdf__burst_close(n);
    part_rings(p->mt, p, 1, n);
    p->work = 0;
    p->slices++;
}

/* Node n's body in a threaded run (see above): a window of more than a
** slice's work cut to a slice's items, the rest back to the front of the
** queue (as a suspension hands back the rest of its window). */
static int slice_body(agdf_task *t, agdf_io *io)
{
    agdf_node *n = t->node;
    agdf_part *p = n->graph->part;
    uint32_t nin = io->nin, ns = ITEM_NS(n), slice = p->mt->slice_ns, cut = 0, done;
    uint64_t work;
    int timed, r;
    int64_t t0 = 0;

    if ((uint64_t)(nin + 1) * ns > slice) {
        cut = nin + 1 - slice / ns;
        io->nin = nin -= cut;
    }
    timed = cut || !ns || !p->left;
    if (timed)
        t0 = agdf__trace_stamp();
    r = n->def->body(t, io);
    if (cut)
        agdf__take_back(n, cut);
    done = nin - io->nin + (r == AGDF_DONE);
    if (timed) {                /* the item a suspension stopped in counts as one */
        uint64_t c = (uint64_t)(agdf__trace_stamp() - t0) / (done + (r != AGDF_DONE));
        ITEM_NS(n) = ns = c < 1 ? 1 : c > slice ? slice : (uint32_t)c;
        p->left = AGDF_MT_SAMPLE;
    } else {
        p->left -= done < p->left ? done : p->left;
    }
    work = p->work + (uint64_t)done * ns;
    p->work = work < slice ? (uint32_t)work : slice;    /* a slice at most: it says "due" */
    if (p->work == slice && r == AGDF_DONE && !io->nin)
        slice_service(p, n);
    return r;
}

/* One thread's run: batches until the end, sleeping when there is nothing
** to do (agdf_run's loop, with the threads' sleep). */
static void part_loop(agdf_part *p)
{
    int64_t ms;
    int r;

    if (p->mt->log_interval && p->thread)
        pthread_mutex_lock(MUTEX(p->snap));
    for (;;) {
        agdf_graph *g = p->pg;
        r = agdf_step(g, UINT32_MAX, &ms);
        if (r == AGDF_STEP_DONE)
            break;
        if (r != AGDF_STEP_READY &&
            part_sleep(p, !(g->nheap || g->nfdwait || g->noffload), ms))
            break;
    }
    if (p->mt->log_interval && p->thread)
        pthread_mutex_unlock(MUTEX(p->snap));
}

/* Starts one of the runtime's threads (a partition here, an offload worker in
** agdf_offload.c) with the process's asynchronous signals blocked, so that
** SIGINT, SIGTERM and the like, and a program's handler for them (the --main
** program's calls agdf_stop), run on the thread that called agdf_run: a
** handler is then never running on two threads at once.  The synchronous
** signals (a fault, the SIGPIPE of a write) still reach the thread that
** caused them.  th: a pthread_t.  0, or pthread_create's error. */
int agdf__thread_create(void *th, void *(*fn)(void *), void *arg)
{
    static const int sync_signal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE };
    sigset_t block, old;
    size_t i;
    int rc;

    sigfillset(&block);
    for (i = 0; i < sizeof sync_signal / sizeof sync_signal[0]; i++)
        sigdelset(&block, sync_signal[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);   /* the new thread inherits it */
    rc = pthread_create((pthread_t *)th, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static void *part_main(void *arg)
{
    part_loop((agdf_part *)arg);
    return NULL;
}

/* ---------------------------------------------------------------- logging and errors */

/* Every thread's log lines go through the main graph's logger, one at a time. */
static void mt_log(void *ud, int level, const char *line)
{
    agdf_mt *mt = (agdf_mt *)ud;

    pthread_mutex_lock(MUTEX(mt->log_mu));
    mt->log(mt->log_ud, level, line);
    pthread_mutex_unlock(MUTEX(mt->log_mu));
}

void agdf__mt_record(agdf_graph *g, agdf_task *t, const char *file, int line, const char *msg)
{
    agdf_mt *mt = g->part->mt;

    pthread_mutex_lock(MUTEX(mt->pool_mu));
    agdf__error_record(mt->g, t, file, line, msg);
    pthread_mutex_unlock(MUTEX(mt->pool_mu));
}

static void stats_add(agdf_stats *a, const agdf_stats *b)
{
    a->in += b->in;
    a->out += b->out;
    a->err += b->err;
    a->dropped += b->dropped;
}

/* A report from thread 0 reads the other threads' counters under their
** locks, which they release at every batch boundary and while asleep; from
** another thread (agdf_log_data_flow in a body) it reports that thread's. */
void agdf__mt_log_flow(agdf_graph *g)
{
    agdf_mt *mt = g->part->mt;
    uint32_t i, t;

    for (i = 0; i < g->nnodes; i++) {
        agdf_node sum = g->nodes[i];
        if (!agdf__log_selected(g, &g->nodes[i]))
            continue;
        for (t = 1; g == mt->g && mt->log_interval && t < mt->nthreads; t++) {
            agdf_part *p = &mt->mem.parts[t];
            pthread_mutex_lock(MUTEX(p->snap));
            stats_add(&sum.stats, &p->g.nodes[i].stats);
            pthread_mutex_unlock(MUTEX(p->snap));
        }
        agdf__log_node(g, &sum);
    }
}

/* ---------------------------------------------------------------- placement */

/* A spread node's tasks, grouped in blocks per thread, in the order the
** threads first appear (task 0's thread first: the home), so that each
** thread's tasks are a contiguous part of the node's task array. */
static void group_blocks(uint32_t *tt, uint32_t nt)
{
    uint32_t p = 0, q, j, v;

    while (p < nt) {
        for (q = p + 1, j = p + 1; j < nt; j++) {
            if (tt[j] == tt[p]) {
                v = tt[q];
                tt[q++] = tt[j];
                tt[j] = v;
            }
        }
        p = q;
    }
}

/* The placement for n threads into task_thread: explicit threads directly,
** else agdf_place; a node that is not spread runs all its tasks on its first
** task's thread.  0, or -1 when a node is placed on a thread >= n. */
static int place(agdf_mt *mt, uint32_t n)
{
    const agdf_graph_def *def = mt->gdef;
    const agdf_node_place *pl = mt->def->place;
    uint32_t *tt = mt->mem.task_thread;
    uint32_t i, k, at = 0, bad, automatic = 0;

    for (i = 0; i < def->nnodes; i++) {
        if (pl[i].thread >= 0 && (uint32_t)pl[i].thread >= n)
            return -1;
        automatic |= pl[i].thread < 0 || pl[i].spread;
    }
    if (n > 1 && automatic) {
        if (agdf_place(def, pl, n, tt, mt->mem.scratch, &bad) < 0)
            return -1;
    } else {
        for (i = 0; i < def->nnodes; i++) {
            for (k = 0; k < def->nodes[i].ntasks; k++)
                tt[at + k] = n > 1 && pl[i].thread > 0 ? (uint32_t)pl[i].thread : 0;
            at += def->nodes[i].ntasks;
        }
    }
    for (i = 0, at = 0; i < def->nnodes; i++) {
        for (k = 0; k < def->nodes[i].ntasks; k++) {
            if (tt[at + k] >= n)
                return -1;
            if (!pl[i].spread)
                tt[at + k] = tt[at];
        }
        if (pl[i].spread)
            group_blocks(tt + at, def->nodes[i].ntasks);
        at += def->nodes[i].ntasks;
    }
    mt->placed = n;
    return 0;
}

/* Inputs and on_close blocks are not supported on several threads. */
static int has_life(const agdf_graph *g)
{
    uint32_t i;

    for (i = 0; i < g->nnodes; i++) {
        if (g->nodes[i].input || g->nodes[i].closing)
            return 1;
    }
    return 0;
}

void agdf_mt_init(agdf_graph *g, const agdf_mt_def *def, const agdf_mt_mem *mem)
{
    agdf_mt *mt = mem->mt;

    memset(mt, 0, sizeof *mt);
    mt->def = def;
    mt->mem = *mem;
    mt->g = g;
    mt->gdef = g->def;
    mt->nthreads = def->threads >= 1 && def->threads <= def->threads_max ? def->threads : 1;
    mt->slice_ns = AGDF_MT_SLICE_NS;       /* >= 1: tests may set less, never 0 */
    g->mtc = mt;
}

int agdf_set_threads(agdf_graph *g, uint32_t n)
{
    agdf_mt *mt = g->mtc;

    if (n == 0 || n > (mt ? mt->def->threads_max : 1) || g->running || g->finished ||
        g->stepping)
        return -1;
    if (n > 1 && (has_life(g) || g->trace))
        return -1;
    if (mt && place(mt, n) < 0)
        return -1;
    if (mt)
        mt->nthreads = n;
    return 0;
}

uint32_t agdf_threads(const agdf_graph *g)
{
    return g->mtc ? g->mtc->nthreads : 1;
}

int agdf_thread_of(const agdf_graph *g, uint32_t node, uint32_t task)
{
    agdf_mt *mt = g->mtc;
    const agdf_graph_def *def = mt ? mt->gdef : g->def;
    uint32_t i, at = 0;

    if (node >= def->nnodes || task >= def->nodes[node].ntasks)
        return -1;
    if (!mt || mt->nthreads == 1)
        return 0;
    if (mt->placed != mt->nthreads && place(mt, mt->nthreads) < 0)
        return -1;
    for (i = 0; i < node; i++)
        at += def->nodes[i].ntasks;
    return (int)mt->mem.task_thread[at + task];
}

/* ---------------------------------------------------------------- set-up */

/* The set-up's tables in scratch (after place(), which is done with it):
** each node's home thread, its first task's index among the graph's, and a
** mark per node. */
#define HOME(mt, i) ((mt)->mem.scratch[i])
#define FIRST(mt, i) ((mt)->mem.scratch[(mt)->gdef->nnodes + (i)])
#define MARK(mt, i) ((mt)->mem.scratch[2 * (mt)->gdef->nnodes + (i)])

/* Node i's index among the spread nodes (their replica queues' order). */
static uint32_t spread_index(const agdf_mt *mt, uint32_t i)
{
    uint32_t k, s = 0;

    for (k = 0; k < i; k++)
        s += mt->def->place[k].spread;
    return s;
}

/* Node i's tasks on thread t: how many, the first one's index within the
** node (*first) and the rank of t among the threads hosting it (*rank, 0:
** the home), from the blocks place() made. */
static uint32_t tasks_on(const agdf_mt *mt, uint32_t i, uint32_t t, uint32_t *first,
                         uint32_t *rank)
{
    const uint32_t *tt = mt->mem.task_thread + FIRST(mt, i);
    uint32_t k, nt = mt->gdef->nodes[i].ntasks, r = 0, c = 0;

    *first = *rank = 0;
    for (k = 0; k < nt; k++) {
        r += k && tt[k] != tt[k - 1];
        if (tt[k] == t && c++ == 0) {
            *first = k;
            *rank = r;
        }
    }
    return c;
}

/* Node i's record in partition t: its tasks there and its queue (the node's
** own with the start items queued in src, the main graph's record before the
** run, at the home; a replica queue at another thread of a spread node), or
** an empty record; the tasks are ready (rule 1) and keep their node's index. */
static void node_local(agdf_mt *mt, uint32_t t, uint32_t i, const agdf_node *src)
{
    agdf_graph *pg = part_graph(mt, t);
    agdf_node *n = &pg->nodes[i];
    const agdf_node_def *nd = &mt->gdef->nodes[i];
    uint32_t first, rank, nt = tasks_on(mt, i, t, &first, &rank);
    agdf_node_mem m = {NULL, NULL};

    if (nt) {
        m.tasks = src->tasks + (size_t)first * nd->task_size;
        if (nd->item_size)
            m.queue = !rank ? (void *)src->buf
                            : (unsigned char *)mt->mem.base +
                                  mt->mem.queue_off[spread_index(mt, i) *
                                                        (mt->def->threads_max - 1) + rank - 1];
    }
    agdf__node_init(pg, i, &m);
    if (nt && !rank) {
        n->head = src->head;
        n->count = src->count;
    }
}

static void tasks_local(agdf_mt *mt, uint32_t t, uint32_t i)
{
    agdf_graph *pg = part_graph(mt, t);
    agdf_node *n = &pg->nodes[i];
    uint32_t first, rank, k;

    agdf__tasks_init(pg, n);
    if (tasks_on(mt, i, t, &first, &rank) && first) {
        for (k = 0; k < n->def->ntasks; k++)
            ((agdf_task *)(void *)(n->tasks + (size_t)k * n->def->task_size))->index += first;
    }
}

/* Thread t >= 1: its graph over its node records, timers, fds and offload
** slots, with the main graph's settings (clock, virtual time, offload limit). */
static void part_init(agdf_mt *mt, uint32_t t)
{
    agdf_part *p = &mt->mem.parts[t];
    agdf_graph *g = mt->g, *pg = &p->g;
    const agdf_graph_def *def = mt->gdef;
    uint32_t i, total = total_tasks(def), nw = agdf__offload_cap(g);
    agdf_graph_mem m;

    memset(&m, 0, sizeof m);
    m.nodes = mt->mem.nodes + (size_t)(t - 1) * def->nnodes;
    m.timers = mt->mem.timers + (size_t)(t - 1) * AGDF_TIMER_SLOTS(total);
    m.fds = mt->mem.fds + (size_t)(t - 1) * AGDF_FD_SLOTS(total);
    m.workers = mt->mem.workers && nw ? mt->mem.workers + (size_t)(t - 1) * nw : NULL;
    m.nworkers = m.workers ? nw : 0;
    agdf__graph_init(pg, &p->def, &m);
    pg->epoch = g->epoch;
    pg->now = g->now;
    pg->virtual_time = g->virtual_time;
    (void)agdf_set_offload_threads(pg, agdf_offload_threads(g));
    for (i = 0; i < def->nnodes; i++)
        node_local(mt, t, i, &g->nodes[i]);
    for (i = 0; i < def->nnodes; i++)
        tasks_local(mt, t, i);
}

/* Thread 0: the main graph keeps its settings and its nodes placed here; its
** other records are emptied, its ready queue holds only its own tasks. */
static void main_init(agdf_mt *mt)
{
    agdf_graph *g = mt->g;
    uint32_t i;

    g->def = &mt->mem.parts[0].def;
    g->ready = g->ready_tail = NULL;
    g->nready = g->npoll = g->ntasks = g->batch = 0;
    for (i = 0; i < g->nnodes; i++) {
        agdf_node src = g->nodes[i];
        node_local(mt, 0, i, &src);
    }
    for (i = 0; i < g->nnodes; i++)
        tasks_local(mt, 0, i);
}

/* Ring ri carries node d's items from thread pt to thread ct.  An edge's
** ring: d's record in pt becomes its shadow over the ring's storage.  A
** balancing ring (bal: the threads hosting d): from d's home to a replica. */
static void ring_init(agdf_mt *mt, uint32_t ri, uint32_t pt, uint32_t ct, uint32_t d,
                      uint32_t bal)
{
    agdf_ring *r = &mt->mem.rings[ri];
    const agdf_node_def *nd = &mt->gdef->nodes[d];
    agdf_graph *pg = part_graph(mt, pt);
    agdf_node_mem m = {NULL, NULL};

    if (nd->item_size)
        m.queue = (unsigned char *)mt->mem.base + mt->mem.ring_off[ri];
    if (!bal)
        agdf__node_init(pg, d, &m);
    memset(r, 0, sizeof *r);
    r->slots = (unsigned char *)m.queue;
    r->cap = nd->queue_size;
    r->size = (uint32_t)nd->item_size;
    r->start = START_NONE;
    r->shadow = &pg->nodes[d];
    r->dst = &part_graph(mt, ct)->nodes[d];
    r->p_thread = pt;
    r->c_thread = ct;
    r->p_balance = bal;
    mt->mem.parts[pt].balances |= bal != 0;
    r->p_next = mt->mem.parts[pt].out;
    mt->mem.parts[pt].out = ri + 1;
    r->c_next = mt->mem.parts[ct].in;
    mt->mem.parts[ct].in = ri + 1;
}

/* The threads hosting node i (1 for a node that is not spread). */
static uint32_t hosts(const agdf_mt *mt, uint32_t i, uint32_t n)
{
    uint32_t t, f, rank, k = 0;

    for (t = 0; t < n; t++)
        k += tasks_on(mt, i, t, &f, &rank) != 0;
    return k;
}

/* For each thread and each node it feeds that has no tasks there, one ring
** to the node's home (the first edge's from this thread, in agdf.h's
** numbering: a spread producer's rank picks among its edge's rings) and its
** shadow.  A spread node's replica fed by producers on its own thread hands
** a share back to the home through the (otherwise unused) ring of such an
** edge, and the home a share to every replica through the balancing rings:
** its work spreads wherever its producers are. */
static void rings_init(agdf_mt *mt, uint32_t n)
{
    const agdf_graph_def *def = mt->gdef;
    uint32_t tmax = mt->def->threads_max, pt, i, k, ri, f, rank, rk;

    for (pt = 0; pt < n; pt++) {
        for (i = 0; i < def->nnodes; i++)
            MARK(mt, i) = 0;
        for (i = 0, ri = 0; i < def->nnodes; i++) {
            const agdf_node_def *nd = &def->nodes[i];
            uint32_t per = mt->def->place[i].spread ? tmax : 1;
            uint32_t here = tasks_on(mt, i, pt, &f, &rank);
            for (k = 0; k < nd->ndst; k++, ri += per) {
                uint32_t d = nd->dst[k];
                if (!here || MARK(mt, d))
                    continue;
                if (!tasks_on(mt, d, pt, &f, &rk))
                    ring_init(mt, ri + rank, pt, HOME(mt, d), d, 0);
                else if (rk && d != i)          /* a replica fed here: its way back */
                    ring_init(mt, ri + rank, pt, HOME(mt, d), d, hosts(mt, d, n));
                else
                    continue;
                MARK(mt, d) = 1;
            }
        }
    }
    for (i = 0, ri = 0; i < def->nnodes; i++)
        ri += def->nodes[i].ndst * (mt->def->place[i].spread ? tmax : 1);
    for (i = 0; i < def->nnodes; i++) {
        if (!mt->def->place[i].spread)
            continue;
        for (pt = 0; pt < n; pt++) {
            if (tasks_on(mt, i, pt, &f, &rank) && rank)
                ring_init(mt, ri + rank - 1, HOME(mt, i), pt, i, hosts(mt, i, n));
        }
        ri += tmax - 1;
    }
}

static void setup(agdf_mt *mt, uint32_t n)
{
    agdf_graph *g = mt->g;
    const agdf_graph_def *def = mt->gdef;
    uint32_t i, t, at = 0;

    for (i = 0; i < def->nnodes; i++) {
        HOME(mt, i) = def->nodes[i].ntasks ? mt->mem.task_thread[at] : 0;
        FIRST(mt, i) = at;
        at += def->nodes[i].ntasks;
    }
    mt->nidle = mt->done = mt->halt = 0;
    AGDF__STORE_SC(mt->stop_req, 0u);           /* agdf_stop may run now, on another thread */
    stop_copy(mt);                              /* a stop before the run */
    mt->log = g->log;
    mt->log_ud = g->log_ud;
    mt->log_interval = g->log_interval;
    pthread_mutex_init(MUTEX(mt->pool_mu), NULL);
    pthread_mutex_init(MUTEX(mt->log_mu), NULL);
    for (t = 0; t < n; t++) {
        agdf_part *p = &mt->mem.parts[t];
        agdf_node_def *nodes = mt->mem.defs + (size_t)t * def->nnodes;
        for (i = 0; i < def->nnodes; i++) {
            uint32_t f, rank;
            nodes[i] = def->nodes[i];
            nodes[i].ntasks = tasks_on(mt, i, t, &f, &rank);
            if (!nodes[i].ntasks)
                nodes[i].body = NULL;
        }
        p->def = *def;
        p->def.nodes = nodes;
        p->mt = mt;
        p->thread = t;
        p->pg = part_graph(mt, t);
        p->out = p->in = 0;
        AGDF__STORE_SC(p->bell, (uint32_t)BELL_RUN);   /* ... and ring it */
        p->sleeps = 0;
        p->looked = p->balances = 0;
        p->work = 0;
        p->left = AGDF_MT_SAMPLE;
        p->slices = 0;
        if (t)
            pthread_mutex_init(MUTEX(p->snap), NULL);
    }
    for (t = 1; t < n; t++)
        part_init(mt, t);
    main_init(mt);
    rings_init(mt, n);
    for (t = 0; t < n; t++) {
        agdf_graph *pg = part_graph(mt, t);
        pg->part = &mt->mem.parts[t];
        pg->log = mt->log ? mt_log : NULL;
        pg->log_ud = mt;
        pg->nopen = 1;          /* "alive" when idle: next_batch returns, never ends */
        for (i = 0; i < def->nnodes; i++) {
            if (pg->nodes[i].body) {
                pg->nodes[i].body = slice_body;
                ITEM_NS(&pg->nodes[i]) = 0;
            }
        }
        AGDF__STORE(pg->attn, 1);   /* every batch boundary syncs (agdf__host_events) */
    }
}

/* ---------------------------------------------------------------- the end */

/* After the join: what each shadow's consumer released is known first (so
** that an item is counted once), then every thread's run ends as a
** single-threaded one does (queues and owed puts counted as dropped, its
** offload pool stopped, its wake pipe closed), and the counters are summed
** into the main graph's records, which get their own description back. */
static void finish_all(agdf_mt *mt, uint32_t n)
{
    agdf_graph *g = mt->g;
    agdf_ring *r;
    uint32_t t, i;

    for (t = 0; t < n; t++) {
        agdf_graph *pg = part_graph(mt, t);
        if (pg->npoll && !pg->halted && !AGDF__LOAD(mt->halt))
            agdf__await_deadlock(pg);   /* nothing is left that could satisfy them */
    }
    for (t = 0; t < n; t++) {
        for (r = ring_at(mt, mt->mem.parts[t].out); r; r = ring_at(mt, r->p_next)) {
            if (r->p_balance)       /* in flight to a replica: dropped at the home */
                r->shadow->stats.dropped += r->p_head - AGDF__RING_LOAD_SC(&r->tail);
            else
                shadow_release(r, 0);
        }
    }
    for (t = 0; t < n; t++) {
        agdf_graph *pg = part_graph(mt, t);
        pg->part = NULL;
        pg->nopen = 0;
        agdf__finish(pg);
        if (!t)
            continue;
        for (i = 0; i < g->nnodes; i++)
            stats_add(&g->nodes[i].stats, &pg->nodes[i].stats);
        g->total_err += pg->total_err;
        g->halted |= pg->halted;
        pthread_mutex_destroy(MUTEX(mt->mem.parts[t].snap));
    }
    g->halted |= AGDF__LOAD(mt->halt) != 0;
    g->def = mt->gdef;
    g->ntasks = total_tasks(mt->gdef);
    for (i = 0; i < g->nnodes; i++) {
        g->nodes[i].def = &mt->gdef->nodes[i];
        g->nodes[i].body = mt->gdef->nodes[i].body;
    }
    g->log = mt->log;
    g->log_ud = mt->log_ud;
    pthread_mutex_destroy(MUTEX(mt->pool_mu));
    pthread_mutex_destroy(MUTEX(mt->log_mu));
}

static void mt_refuse(agdf_graph *g, const char *why)
{
    if (g->log)
        g->log(g->log_ud, AGDF_LOG_ERROR, why);
}

agdf_status agdf__mt_run(agdf_graph *g)
{
    agdf_mt *mt = g->mtc;
    uint32_t n = mt->nthreads, t, started;

    if (g->finished)
        return agdf_result(g);
    if (has_life(g) || g->trace || place(mt, n) < 0) {
        mt_refuse(g, "ERROR:agdf: this graph cannot run on several threads (inputs, on_close "
                     "blocks, an open trace or a bad placement): set 1 thread");
        g->finished = 1;
        g->total_err++;
        return AGDF_ERRORS;
    }
    setup(mt, n);
    for (started = 1; started < n; started++) {
        agdf_part *p = &mt->mem.parts[started];
        if (agdf__thread_create(THREAD(p->th), part_main, p) != 0) {
            mt_refuse(g, "ERROR:agdf: cannot start a thread: the run halts");
            AGDF__STORE_SC(mt->halt, 1u);
            ring_all(mt);
            break;
        }
    }
    part_loop(&mt->mem.parts[0]);
    for (t = 1; t < started; t++)
        pthread_join(*THREAD(mt->mem.parts[t].th), NULL);
    finish_all(mt, n);
    return agdf_result(g);
}
