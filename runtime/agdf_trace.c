/*
** agdf_trace.c — the tracer.  While a trace is open (agdf_trace_open), the
** scheduler's hooks write each run of a task between two suspensions as a
** complete event ("X") on a track per task, raises and halts as instant events
** ("i"), each queue's depth as a counter ("C") whenever a task that touched
** the queue switches out and the depth changed, and the offload workers' calls
** as slices on a track per worker: the Chrome trace-event JSON format that
** Perfetto and chrome://tracing open (docs/tracing.md).  Storage is static:
** events are formatted straight into one fixed buffer (AGDF_TRACE_BUF bytes)
** that goes to the file with write() whenever it fills and at the close; the
** workers' calls wait in a small array guarded by the offload pool's lock until
** the scheduler collects them.  A failed write is logged once and ends the
** tracing, never the run.  Timestamps are the graph clock in microseconds.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef AGDF_TRACE_BUF
#define AGDF_TRACE_BUF 65536     /* bytes formatted before one write() */
#endif

typedef char agdf__trace_buf_ok[AGDF_TRACE_BUF >= 1 && AGDF_TRACE_CALLS >= 1 ? 1 : -1];

/* One offloaded call a worker finished, waiting for the scheduler. */
typedef struct trace_call {
    const agdf_task *task;       /* the task that offloaded it */
    unsigned worker;             /* worker index, 0-based */
    int64_t start;               /* raw monotonic ns (agdf__trace_stamp) */
    int64_t end;                 /* ... */
} trace_call;

struct agdf__trace {
    agdf_graph *g;               /* traced graph; NULL: no trace open */
    int fd;                      /* the file */
    int failed;                  /* a write failed: nothing more is written */
    int comma;                   /* an event was written: the next needs a comma */
    int sampled;                 /* every queue's depth written once */
    unsigned named;              /* workers whose track is named, a bit each */
    int64_t base;                /* trace time of the graph clock's 0: the end of
                                    the runs before an agdf_init of the graph */
    int64_t slice_ts;            /* start of the running slice, trace ns */
    uint64_t slice_out;          /* its node's out count then */
    uint32_t ncalls;             /* entries of calls */
    uint64_t lost;               /* calls that found calls full */
    trace_call calls[AGDF_TRACE_CALLS]; /* under the pool lock */
    char path[256];              /* for the error message (truncated) */
    size_t len;                  /* bytes in buf */
    char buf[AGDF_TRACE_BUF];    /* events not yet written */
};

static struct agdf__trace tr;

/* ---------------------------------------------------------------- output */

static void flush(void)
{
    size_t off = 0;

    while (off < tr.len && !tr.failed) {
        ssize_t k = write(tr.fd, tr.buf + off, tr.len - off);
        if (k > 0)
            off += (size_t)k;
        else if (k < 0 && errno == EINTR)
            continue;
        else {
            tr.failed = 1;
            agdf__log_trace_failed(tr.g, tr.path, k < 0 ? errno : EIO);
        }
    }
    tr.len = 0;
}

/* The general copy: as much as fits, a write() whenever the buffer fills. */
static void out_slow(const char *s, size_t n)
{
    while (n && !tr.failed) {
        size_t room = sizeof tr.buf - tr.len, k = n < room ? n : room;
        memcpy(tr.buf + tr.len, s, k);
        tr.len += k;
        s += k;
        n -= k;
        if (tr.len == sizeof tr.buf)
            flush();
    }
}

/* Events come in pieces of a few bytes: those are copied by a loop, not a
** call to memcpy (a third of the tracer's instructions when they were). */
static void out(const char *s, size_t n)
{
    if (n < sizeof tr.buf - tr.len && !tr.failed) {
        char *d = tr.buf + tr.len;
        tr.len += n;
        while (n--)
            *d++ = *s++;
        return;
    }
    out_slow(s, n);
}

/* A string literal: a copy of constant size, which compilers inline. */
#define OUTL(lit)                                                       \
    do {                                                                \
        if (sizeof(lit) - 1 < sizeof tr.buf - tr.len) {                 \
            memcpy(tr.buf + tr.len, (lit), sizeof(lit) - 1);            \
            tr.len += sizeof(lit) - 1;                                  \
        } else {                                                        \
            out_slow((lit), sizeof(lit) - 1);                           \
        }                                                               \
    } while (0)

static void out_u64(uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(tmp + i, sizeof tmp - i);
}

static void out_i64(int64_t v)
{
    if (v < 0) {
        out("-", 1);
        out_u64((uint64_t)0 - (uint64_t)v);
    } else {
        out_u64((uint64_t)v);
    }
}

/* ns as microseconds with three decimals, one piece: 1234567 -> 1234.567 */
static void out_us(int64_t ns)
{
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    char tmp[32];
    size_t i = sizeof tmp - 4;

    tmp[i] = '.';
    tmp[i + 1] = (char)('0' + a / 100 % 10);
    tmp[i + 2] = (char)('0' + a / 10 % 10);
    tmp[i + 3] = (char)('0' + a % 10);
    a /= 1000;
    do {
        tmp[--i] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (ns < 0)
        tmp[--i] = '-';
    out(tmp + i, sizeof tmp - i);
}

/* Bytes of the well-formed UTF-8 sequence at s (1-4), 0 if there is none
** (the checks of RFC 3629: no overlong forms, surrogates or values past
** U+10FFFF).  Stops at the first bad byte, so a NUL is never passed. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t n, i;

    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

/* The inside of a JSON string: quotes, backslashes and control characters
** escaped, a byte that starts no valid UTF-8 sequence (a message cut inside
** a character) written as U+FFFD, so the file always parses. */
static void out_esc(const char *str)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");

    while (*s) {
        size_t k = 0;
        while (s[k] >= 0x20 && s[k] < 0x80 && s[k] != '"' && s[k] != '\\')
            k++;
        if (k) {                /* a run of plain ASCII, as it is */
            out((const char *)s, k);
            s += k;
            continue;
        }
        k = utf8_len(s);
        if (k == 0) {
            OUTL("\\ufffd");
            k = 1;
        } else if (*s == '"' || *s == '\\') {
            char e[2];
            e[0] = '\\';
            e[1] = (char)*s;
            out(e, 2);
        } else if (*s < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', 0, 0};
            e[4] = hex[*s >> 4];
            e[5] = hex[*s & 15];
            out(e, 6);
        } else {
            out((const char *)s, k);
        }
        s += k;
    }
}

static void out_str(const char *s)
{
    out("\"", 1);
    out_esc(s);
    out("\"", 1);
}

/* Starts an event: phase, name, pid 1, tid; the caller adds the rest and }. */
static void ev_open(char ph, const char *name, uint64_t tid)
{
    if (tr.comma)
        OUTL(",\n");
    tr.comma = 1;
    OUTL("{\"ph\":\"");
    out(&ph, 1);
    OUTL("\",\"name\":");
    out_str(name);
    OUTL(",\"pid\":1,\"tid\":");
    out_u64(tid);
}

#define EV_TS(key, ns) do { OUTL(key); out_us(ns); } while (0)

/* ---------------------------------------------------------------- tracks */

static uint64_t task_tid(const agdf_task *t)
{
    return (uint64_t)t->node->task0 + t->index + 1;
}

static uint64_t worker_tid(const agdf_graph *g, unsigned w)
{
    return (uint64_t)g->ntasks + w + 1;
}

/* thread_name "NAME[K]" (or "NAME" when k < 0) and a sort index: tracks keep
** the graph's order (node declaration, task index, then the workers). */
static void name_track(uint64_t tid, const char *name, int64_t k)
{
    ev_open('M', "thread_name", tid);
    OUTL(",\"args\":{\"name\":\"");
    out_esc(name);
    if (k >= 0) {
        out("[", 1);
        out_i64(k);
        out("]", 1);
    }
    OUTL("\"}}");
    ev_open('M', "thread_sort_index", tid);
    OUTL(",\"args\":{\"sort_index\":");
    out_u64(tid);
    OUTL("}}");
}

/* The trace clock in ns: the graph clock (virtual or real), continued across
** the runs of one trace (agdf__trace_reinit). */
static int64_t now_ns(agdf_graph *g)
{
    return tr.base + (g->virtual_time ? g->now : agdf__clock(g));
}

/* A counter event for n's queue if its depth changed since the last one. */
static void sample(agdf_node *n, int64_t ns)
{
    if (n->count == n->traced)
        return;
    n->traced = n->count;
    ev_open('C', n->def->name, 0);
    EV_TS(",\"ts\":", ns);
    OUTL(",\"args\":{\"queue\":");
    out_u64(n->count);
    OUTL("}}");
}

static void sample_all(agdf_graph *g, int64_t ns)
{
    uint32_t i;

    for (i = 0; i < g->nnodes; i++)
        sample(&g->nodes[i], ns);
}

/* ---------------------------------------------------------------- hooks */

void agdf__trace_begin(agdf_graph *g, const agdf_task *t)
{
    if (tr.failed)
        return;
    tr.slice_ts = now_ns(g);
    tr.slice_out = t->node->stats.out;
    if (!tr.sampled) {          /* the queues as the run starts (start items) */
        tr.sampled = 1;
        sample_all(g, tr.slice_ts);
    }
}

/* The slice, then the queues it may have changed: its node's and its
** destinations' (nobody else runs during a slice). */
void agdf__trace_end(agdf_graph *g, const agdf_task *t)
{
    agdf_node *n = t->node;
    int64_t ns;
    uint32_t i;

    if (tr.failed)
        return;
    ns = now_ns(g);
    ev_open('X', n->def->name, task_tid(t));
    EV_TS(",\"ts\":", tr.slice_ts);
    EV_TS(",\"dur\":", ns - tr.slice_ts);
    OUTL(",\"args\":{\"out\":");
    out_u64(n->stats.out - tr.slice_out);
    OUTL("}}");
    sample(n, ns);
    for (i = 0; i < n->ndst; i++)
        sample(&g->nodes[n->def->dst[i]], ns);
}

void agdf__trace_raise(agdf_graph *g, const agdf_task *t, const char *msg, const char *file,
                       int line, int halts)
{
    int64_t ns;

    if (tr.failed)
        return;
    ns = now_ns(g);
    ev_open('i', "raise", task_tid(t));
    EV_TS(",\"ts\":", ns);
    OUTL(",\"s\":\"t\",\"args\":{\"message\":");
    out_str(msg);
    OUTL(",\"at\":\"");
    out_esc(file);
    out(":", 1);
    out_i64(line);
    OUTL("\"}}");
    if (!halts)
        return;
    ev_open('i', "halt", task_tid(t));
    EV_TS(",\"ts\":", ns);
    OUTL(",\"s\":\"g\",\"args\":{\"node\":");
    out_str(t->node->def->name);
    OUTL("}}");
}

int64_t agdf__trace_stamp(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A worker, holding the pool lock: the call waits here for the scheduler. */
void agdf__trace_call(const agdf_task *t, unsigned worker, int64_t start, int64_t end)
{
    trace_call *c;

    if (tr.ncalls == AGDF_TRACE_CALLS) {
        tr.lost++;
        return;
    }
    c = &tr.calls[tr.ncalls++];
    c->task = t;
    c->worker = worker;
    c->start = start;
    c->end = end;
}

/* The scheduler, holding the pool lock (or after the workers were joined):
** the collected calls on their workers' tracks.  Under virtual time a call
** takes no graph time: it shows as an instant slice at the collection. */
void agdf__trace_calls(agdf_graph *g)
{
    uint32_t i;

    for (i = 0; i < tr.ncalls && !tr.failed; i++) {
        const trace_call *c = &tr.calls[i];
        uint64_t tid = worker_tid(g, c->worker);
        int64_t ts = tr.base + (g->virtual_time ? g->now : c->start - g->epoch);
        if (c->worker < sizeof tr.named * 8 && !(tr.named & 1u << c->worker)) {
            tr.named |= 1u << c->worker;
            name_track(tid, "offload worker", c->worker);
        }
        ev_open('X', c->task->node->def->name, tid);
        OUTL(",\"cat\":\"offload\"");
        EV_TS(",\"ts\":", ts);
        EV_TS(",\"dur\":", g->virtual_time ? 0 : c->end - c->start);
        OUTL(",\"args\":{\"task\":");
        out_u64(c->task->index);
        OUTL("}}");
    }
    tr.ncalls = 0;
}

/* ---------------------------------------------------------------- open, close */

/* agdf_init of the traced graph, before it clears g (init + run may repeat,
** docs/tracing.md): the calls of the run that ended are written while g still
** has its clock, whose reading becomes the next run's 0.  1: the trace goes on
** (agdf__trace_attach after the init), 0: g is not traced. */
int agdf__trace_reinit(agdf_graph *g)
{
    if (tr.g != g)
        return 0;
    agdf__trace_calls(g);
    tr.base = now_ns(g);
    return 1;
}

/* The graph is traced from its first agdf_step: its queues are written then,
** and from then on whenever their depth changes. */
void agdf__trace_attach(agdf_graph *g)
{
    uint32_t i;

    tr.sampled = 0;
    for (i = 0; i < g->nnodes; i++)
        g->nodes[i].traced = UINT32_MAX;    /* no depth written yet */
    g->trace = &tr;
}

static void close_at_exit(void)
{
    (void)agdf_trace_close();   /* a body called exit(): the file still parses */
}

int agdf_trace_open(agdf_graph *g, const char *path)
{
    static int hooked;
    uint32_t i, k;
    int fd;

    if (tr.g || g->running) {
        errno = EBUSY;
        return -1;
    }
    if (agdf_threads(g) > 1) {  /* one trace per graph, not per thread (docs/threads.md) */
        errno = ENOTSUP;
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    if (!hooked && atexit(close_at_exit) == 0)
        hooked = 1;
    tr.g = g;
    tr.fd = fd;
    tr.failed = tr.comma = 0;
    tr.named = 0;
    tr.base = 0;
    tr.ncalls = 0;
    tr.lost = 0;
    tr.len = 0;
    strncpy(tr.path, path, sizeof tr.path - 1);
    tr.path[sizeof tr.path - 1] = '\0';
    agdf__trace_attach(g);
    OUTL("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    ev_open('M', "process_name", 0);
    OUTL(",\"args\":{\"name\":");
    out_str(g->def->name);
    OUTL("}}");
    for (i = 0; i < g->nnodes; i++) {
        agdf_node *n = &g->nodes[i];
        for (k = 0; k < n->def->ntasks; k++)
            name_track((uint64_t)n->task0 + k + 1, n->def->name, k);
    }
    return 0;
}

int agdf_trace_close(void)
{
    agdf_graph *g = tr.g;
    int bad;

    if (!g)
        return 0;
    if (!g->running)            /* the workers are joined: their calls are ours */
        agdf__trace_calls(g);
    sample_all(g, now_ns(g));   /* the end: a halt's discarded items */
    if (tr.lost) {
        ev_open('i', "offload calls not traced", 0);
        EV_TS(",\"ts\":", now_ns(g));
        OUTL(",\"s\":\"g\",\"args\":{\"lost\":");
        out_u64(tr.lost);
        OUTL("}}");
    }
    OUTL("\n]}\n");
    flush();
    if (close(tr.fd) != 0 && !tr.failed) {
        tr.failed = 1;
        agdf__log_trace_failed(g, tr.path, errno);
    }
    bad = tr.failed;
    g->trace = NULL;
    tr.g = NULL;
    return bad ? -1 : 0;
}
