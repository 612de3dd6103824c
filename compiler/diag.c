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
}

void diag_vreport(DiagCtx *dc, DiagLevel lv, SrcPos pos, const char *fmt, va_list ap) {
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
    if (a->key.line != b->key.line) return a->key.line < b->key.line ? -1 : 1;
    if (a->key.col != b->key.col) return a->key.col < b->key.col ? -1 : 1;
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

/* Prints the source line and, below it, a caret under column col.  The
** padding copies the line's tabs and counts a UTF-8 character once, so the
** caret lines up in a terminal.  NUL and other control bytes are shown as
** spaces: they are what the diagnostic is often about. */
static void diag_print_excerpt(const Source *src, size_t start, uint32_t col, FILE *out) {
    size_t end = start;
    while (end < src->len && src->text[end] != '\n') end++;
    if (end > start && src->text[end - 1] == '\r') end--;
    for (size_t i = start; i < end; i++) {
        unsigned char c = (unsigned char)src->text[i];
        fputc(c < 0x20 && c != '\t' ? ' ' : c, out);
    }
    fputc('\n', out);
    for (size_t i = start; i + 1 < start + col; i++) {
        unsigned char c = i < end ? (unsigned char)src->text[i] : ' ';
        if (c == '\t') fputc('\t', out);
        else if (c < 0x80 || c >= 0xC0) fputc(' ', out);
    }
    fputs("^\n", out);
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
    if (n == 0) return;
    Diag *sorted = util_xmalloc(n * sizeof *sorted);
    memcpy(sorted, dc->diags.data, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, diag_cmp);
    size_t nlines = 0;
    size_t *starts = dc->src ? diag_line_starts(dc->src, &nlines) : NULL;
    const char *path = dc->src && dc->src->path ? dc->src->path : "<input>";
    for (size_t i = 0; i < n; i++) {
        const Diag *d = &sorted[i];
        if (d->pos.line == 0) {
            fprintf(out, "%s: %s: %s\n", path, diag_level_name(d->level), d->msg);
            continue;
        }
        fprintf(out, "%s:%u:%u: %s: %s\n", path, (unsigned)d->pos.line,
                (unsigned)d->pos.col, diag_level_name(d->level), d->msg);
        if (starts && d->pos.line <= nlines)
            diag_print_excerpt(dc->src, starts[d->pos.line - 1], d->pos.col, out);
    }
    free(starts);
    free(sorted);
}

void diag_free(DiagCtx *dc) {
    for (size_t i = 0; i < dc->diags.len; i++) free(VEC_AT(dc->diags, Diag, i).msg);
    vec_free(&dc->diags);
    dc->nerrors = dc->nwarnings = 0;
}
