/*
** agdf_log.c — everything in libagdf that makes text: a raised error's message
** (formatted with vsnprintf, the only stdio call outside the default logger;
** agdf.c records and counts the error and decides the halt), the error and halt
** log lines, the periodic data-flow report and the final
** statistics, and the default logger, which writes to stderr.  Lines are built
** in a bounded buffer on the stack with a small formatter (no printf) and handed
** to the graph's log function.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "agdf_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX_ 512
#define DEFAULT_FORMAT "INFO:agdf: {node} - in={in}, out={out}, err={err}"

/* A bounded string being built; excess is cut (never overflows). */
typedef struct buf {
    char s[LINE_MAX_];           /* text, NUL-terminated */
    size_t n;                    /* length */
} buf;

static void put_str(buf *b, const char *s)
{
    while (s && *s && b->n + 1 < sizeof b->s)
        b->s[b->n++] = *s++;
    b->s[b->n] = '\0';
}

static void put_u64(buf *b, uint64_t v)
{
    char tmp[24];
    int i = (int)sizeof tmp - 1;

    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_str(b, tmp + i);
}

static void put_int(buf *b, int v)
{
    if (v < 0) {
        put_str(b, "-");
        put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(b, (uint64_t)v);
    }
}

static void emit(agdf_graph *g, int level, buf *b)
{
    if (g->log)
        g->log(g->log_ud, level, b->s);
}

void agdf_log_default(void *ud, int level, const char *line)
{
    (void)ud;
    (void)level;
    fputs(line, stderr);
    fputc('\n', stderr);
}

/* ---------------------------------------------------------------- stats lines */

/* Expands {node} {in} {out} {err} {dropped}; other text is copied. */
static void format_stats(buf *b, const char *fmt, const agdf_node *n)
{
    static const char *const keys[] = {"{node}", "{in}", "{out}", "{err}", "{dropped}"};
    const agdf_stats *st = &n->stats;
    const uint64_t vals[] = {0, st->in, st->out, st->err, st->dropped};
    char one[2] = {0, 0};

    while (*fmt) {
        size_t k, len = 0;
        for (k = 0; k < 5; k++) {
            len = strlen(keys[k]);
            if (strncmp(fmt, keys[k], len) == 0)
                break;
        }
        if (k == 0)
            put_str(b, n->def->name);
        else if (k < 5)
            put_u64(b, vals[k]);
        if (k < 5) {
            fmt += len;
            continue;
        }
        one[0] = *fmt++;
        put_str(b, one);
    }
}

void agdf__log_node(agdf_graph *g, const agdf_node *n)
{
    buf b;

    b.n = 0;
    b.s[0] = '\0';
    format_stats(&b, g->log_format ? g->log_format : DEFAULT_FORMAT, n);
    emit(g, AGDF_LOG_INFO, &b);
}

int agdf__log_selected(const agdf_graph *g, const agdf_node *n)
{
    const char *const *p;

    if (!g->log_nodes)
        return 1;
    for (p = g->log_nodes; *p; p++) {
        if (strcmp(*p, n->def->name) == 0)
            return 1;
    }
    return 0;
}

void agdf__log_flow(agdf_graph *g)
{
    uint32_t i;

    if (g->part) {              /* a threaded run: every thread's counters */
        agdf__mt_log_flow(g);
        return;
    }
    for (i = 0; i < g->nnodes; i++) {
        if (agdf__log_selected(g, &g->nodes[i]))
            agdf__log_node(g, &g->nodes[i]);
    }
}

void agdf_log_data_flow(agdf_graph *g)
{
    agdf__log_flow(g);
}

void agdf_log_stats(agdf_graph *g)
{
    uint32_t i;

    for (i = 0; i < g->nnodes; i++)
        agdf__log_node(g, &g->nodes[i]);
}

/* ---------------------------------------------------------------- errors */

/* A raised error's message, formatted into msg[AGDF__ERROR_TEXT] (truncated). */
void agdf__format_error(char *msg, const char *fmt, va_list ap)
{
    vsnprintf(msg, AGDF__ERROR_TEXT, fmt, ap);
}

/* "ERROR:agdf: NODE: MESSAGE (FILE:LINE)", the whole message. */
void agdf__log_error(agdf_graph *g, const agdf_node *n, const char *msg, const char *file,
                     int line)
{
    buf b;

    b.n = 0;
    b.s[0] = '\0';
    put_str(&b, "ERROR:agdf: ");
    put_str(&b, n->def->name);
    put_str(&b, ": ");
    put_str(&b, msg);
    put_str(&b, " (");
    put_str(&b, file);
    put_str(&b, ":");
    put_int(&b, line);
    put_str(&b, ")");
    emit(g, AGDF_LOG_ERROR, &b);
}

/* A body returned r, which is none of the codes a body may return: an error
** of its node, like a raise at the drain loop's file and line. */
int agdf__bad_return(agdf_task *t, int r, const char *file, int line)
{
    if (r == AGDF_SUSPENDED)
        return agdf__raise(t, file, line,
                           "body returned 1 (AGDF_SUSPENDED) without suspending (a bare `return 1;`?)");
    return agdf__raise(t, file, line,
                       "body returned %d, not AGDF_DONE or AGDF_SUSPENDED (a bare `return N;`?)",
                       r);
}

/* Fails the invocation a parked task is in: the error is raised and the task
** will take its next item (its resume point is forgotten). */
static int raise_parked(agdf_task *t, const char *file, int line, const char *msg)
{
    int r = agdf__raise(t, file, line, "%s", msg);

    t->busy = 0;
    t->lc = 0;
    return r;
}

/* Every ready task is an AGDF_AWAIT poll and no timer, fd or offload is left:
** the conditions can never change.  Each such invocation fails with an error
** (never a silent hang): the task stays ready and takes its next item. */
void agdf__await_deadlock(agdf_graph *g)
{
    agdf_task *t;

    for (t = g->ready; t && !g->halted; t = t->next) {
        if (t->wait != AGDF__W_POLL)
            continue;
        t->wait = AGDF__W_READY;
        g->npoll--;
        raise_parked(t, t->w.await.file, t->w.await.line,
                     "AGDF_AWAIT can never be satisfied: no task, timer, fd or offload is left");
    }
}

void agdf__log_halt(agdf_graph *g, const agdf_node *n)
{
    buf b;

    b.n = 0;
    b.s[0] = '\0';
    put_str(&b, "ERROR:agdf: Pipeline execution halted due to an exception in ");
    put_str(&b, n->def->name);
    put_str(&b, " node");
    emit(g, AGDF_LOG_ERROR, &b);
}

/* A write to the trace file failed (agdf_trace.c stops tracing): said once. */
void agdf__log_trace_failed(agdf_graph *g, const char *path, int err)
{
    buf b;

    b.n = 0;
    b.s[0] = '\0';
    put_str(&b, "ERROR:agdf: trace ");
    put_str(&b, path);
    put_str(&b, ": ");
    put_str(&b, strerror(err));
    put_str(&b, "; tracing stopped");
    emit(g, AGDF_LOG_ERROR, &b);
}
