/*
** diag.c — collects the compiler's diagnostics and prints them the way a C
** compiler does: "FILE:LINE:COL: error: MESSAGE", the source line, and a
** caret under the column.  Phases only report (diag_report); nothing is
** printed until main.c calls diag_print, which sorts everything into source
** order so that errors found by different phases (lexer, parser, checks)
** read top to bottom.  A note sorts with the diagnostic reported just before
** it, so "previous definition" notes stay under their error.
*/
#include <stdlib.h>
#include <string.h>

#include "agdfc.h"

void diag_init(DiagCtx *dc, const Source *src) {
    memset(dc, 0, sizeof *dc);
    dc->src = src;
    dc->error_limit = DIAG_ERROR_LIMIT;
}

/* Past the error limit, reports are dropped before they are even formatted,
** and the phases, which look at dc->stopped, wind down: a binary file or a
** runaway mistake costs little. */
void diag_vreport(DiagCtx *dc, DiagLevel lv, SrcPos pos, const char *fmt, va_list ap) {
    if (dc->stopped) return;
    if (lv == DIAG_ERROR && dc->error_limit > 0 && dc->nerrors >= dc->error_limit) {
        dc->stopped = true;
        return;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *msg = util_xmalloc((size_t)n + 1);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);

    SrcPos key = pos;
    if (lv == DIAG_NOTE && dc->diags.len > 0)
        key = VEC_AT(dc->diags, Diag, dc->diags.len - 1).key;
    Diag *d = vec_push(&dc->diags, sizeof(Diag));
    d->pos = pos;
    d->level = lv;
    d->seq = (uint32_t)(dc->diags.len - 1);
    d->msg = msg;
    d->key = key;
    if (lv == DIAG_ERROR) dc->nerrors++;
    if (lv == DIAG_WARNING) dc->nwarnings++;
}

void diag_report(DiagCtx *dc, DiagLevel lv, SrcPos pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(dc, lv, pos, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb) {
    const Diag *a = pa, *b = pb;
    int by_pos = pos_cmp(a->key, b->key);
    if (by_pos != 0) return by_pos;
    return a->seq < b->seq ? -1 : a->seq > b->seq;   /* stable */
}

/* Offsets of the first byte of every line, so that printing N diagnostics
** costs one pass over the file, not N. */
static size_t *diag_line_starts(const Source *src, size_t *nlines) {
    size_t n = 1;
    for (size_t i = 0; i < src->len; i++) n += src->text[i] == '\n';
    size_t *starts = util_xmalloc(n * sizeof *starts);
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n') starts[k++] = i + 1;
    *nlines = n;
    return starts;
}

/* The text of one diagnostic, gathered so that it is written in one call
** (standard error is unbuffered: byte-sized writes made a 1 MB report take
** a million system calls). */
typedef struct DiagBuf {
    char *s;
    size_t n, cap;
} DiagBuf;

static void diag_buf_put(DiagBuf *b, const char *s, size_t n) {
    if (b->n + n > b->cap) {
        while (b->n + n > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
        b->s = util_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

static void diag_buf_putc(DiagBuf *b, char c) {
    diag_buf_put(b, &c, 1);
}

static void diag_buf_puts(DiagBuf *b, const char *s) {
    diag_buf_put(b, s, strlen(s));
}

static void diag_buf_printf(DiagBuf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) { diag_buf_put(b, small, (size_t)n); return; }
    char *big = util_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    diag_buf_put(b, big, (size_t)n);
    free(big);
}

static bool diag_utf8_cont(unsigned char c) {
    return c >= 0x80 && c < 0xC0;
}

/* Prints the source line and, below it, a caret under column col.  The
** padding copies the line's tabs and counts a UTF-8 character once, so the
** caret lines up in a terminal.  NUL and other control bytes are shown as
** spaces: they are what the diagnostic is often about.  A line longer than
** DIAG_LINE_SHOWN bytes is cut to a window around the caret (on character
** boundaries), each cut marked "...". */
static void diag_print_excerpt(const Source *src, size_t start, uint32_t col, DiagBuf *b) {
    size_t end = start;
    const char *nl = memchr(src->text + start, '\n', src->len - start);
    end = nl ? (size_t)(nl - src->text) : src->len;
    if (end > start && src->text[end - 1] == '\r') end--;
    size_t at = start + col - 1;                 /* the caret's byte */
    size_t from = start, to = end;
    if (end - start > DIAG_LINE_SHOWN) {
        if (at > start + DIAG_LINE_SHOWN / 2) from = at - DIAG_LINE_SHOWN / 2;
        if (from > end) from = end;
        to = from + DIAG_LINE_SHOWN < end ? from + DIAG_LINE_SHOWN : end;
        while (from > start && from < end && diag_utf8_cont((unsigned char)src->text[from])) from--;
        while (to < end && diag_utf8_cont((unsigned char)src->text[to])) to++;
    }
    if (from > start) diag_buf_puts(b, "...");
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)src->text[i];
        diag_buf_putc(b, (char)(c < 0x20 && c != '\t' ? ' ' : c));
    }
    if (to < end) diag_buf_puts(b, "...");
    diag_buf_putc(b, '\n');
    if (from > start) diag_buf_puts(b, "   ");
    for (size_t i = from; i < at; i++) {
        unsigned char c = i < end ? (unsigned char)src->text[i] : ' ';
        if (c == '\t') diag_buf_putc(b, '\t');
        else if (!diag_utf8_cont(c)) diag_buf_putc(b, ' ');
    }
    diag_buf_puts(b, "^\n");
}

static const char *diag_level_name(DiagLevel lv) {
    switch (lv) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    case DIAG_NOTE: return "note";
    }
    return "error";
}

void diag_print(DiagCtx *dc, FILE *out) {
    size_t n = dc->diags.len;
    if (n == 0 && !dc->stopped) return;
    Diag *sorted = util_xmalloc(n * sizeof *sorted);
    memcpy(sorted, dc->diags.data, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, diag_cmp);
    size_t nlines = 0;
    size_t *starts = dc->src ? diag_line_starts(dc->src, &nlines) : NULL;
    const char *path = dc->src && dc->src->path ? dc->src->path : "<input>";
    DiagBuf b = { NULL, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        const Diag *d = &sorted[i];
        b.n = 0;
        if (d->pos.line == 0) {
            diag_buf_printf(&b, "%s: %s: ", path, diag_level_name(d->level));
        } else {
            diag_buf_printf(&b, "%s:%u:%u: %s: ", path, (unsigned)d->pos.line,
                            (unsigned)d->pos.col, diag_level_name(d->level));
        }
        diag_buf_puts(&b, d->msg);
        diag_buf_putc(&b, '\n');
        if (d->pos.line != 0 && starts && d->pos.line <= nlines)
            diag_print_excerpt(dc->src, starts[d->pos.line - 1], d->pos.col, &b);
        fwrite(b.s, 1, b.n, out);
    }
    if (dc->stopped) {
        b.n = 0;
        diag_buf_printf(&b, "agdfc: too many errors emitted, stopping now "
                        "(use -ferror-limit=0 to see all)\n%d error%s generated.\n",
                        dc->nerrors, dc->nerrors == 1 ? "" : "s");
        fwrite(b.s, 1, b.n, out);
    }
    free(b.s);
    free(starts);
    free(sorted);
}

void diag_free(DiagCtx *dc) {
    for (size_t i = 0; i < dc->diags.len; i++) free(VEC_AT(dc->diags, Diag, i).msg);
    vec_free(&dc->diags);
    dc->nerrors = dc->nwarnings = 0;
}
