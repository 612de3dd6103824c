/*
** front_test.h — helpers shared by the front end's cmocka tests
** (test_lexer.c, test_parser.c, test_check.c, test_diag.c): run the
** front end on a string, look for a diagnostic by level, position and
** message fragment, and print the diagnostics into a string.
*/
#ifndef FRONT_TEST_H
#define FRONT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agdfc.h"
#include "parser.h"

typedef struct Fx {
    Arena a;
    DiagCtx dc;
    Source src;
    Graph *g;
    bool ok;                 /* check_graph's result (false when not run) */
} Fx;

/* Parses text as "t.agdf" (and checks it when check is true). */
static inline Fx *fx_run_named(const char *path, const char *text, size_t len, bool check) {
    Fx *f = calloc(1, sizeof *f);
    char *copy = malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    f->src.path = path;
    f->src.text = copy;
    f->src.len = len;
    diag_init(&f->dc, &f->src);
    f->g = parse_source(&f->src, &f->dc, &f->a);
    if (check) f->ok = check_graph(f->g, &f->dc, &f->a);
    return f;
}

static inline Fx *fx_run(const char *text, bool check) {
    return fx_run_named("t.agdf", text, strlen(text), check);
}

static inline void fx_free(Fx *f) {
    diag_free(&f->dc);
    parse_graph_free(f->g);
    arena_free(&f->a);
    free((char *)f->src.text);
    free(f);
}

/* True when a diagnostic of level lv at line:col contains sub (col 0: any). */
static inline bool fx_has(const Fx *f, DiagLevel lv, unsigned line, unsigned col, const char *sub) {
    for (size_t i = 0; i < f->dc.diags.len; i++) {
        const Diag *d = &VEC_AT(f->dc.diags, Diag, i);
        if (d->level == lv && d->pos.line == line && (col == 0 || d->pos.col == col)
            && strstr(d->msg, sub))
            return true;
    }
    return false;
}

/* Fails the test with every diagnostic printed when fx_has is false. */
#define FX_EXPECT(f, lv, line, col, sub) do { \
        if (!fx_has((f), (lv), (line), (col), (sub))) { \
            diag_print(&(f)->dc, stderr); \
            fail_msg("no diagnostic %u:%u containing \"%s\"", (unsigned)(line), \
                     (unsigned)(col), (sub)); \
        } \
    } while (0)

#define FX_CLEAN(f) do { \
        if ((f)->dc.diags.len != 0) { \
            diag_print(&(f)->dc, stderr); \
            fail_msg("unexpected diagnostics"); \
        } \
    } while (0)

/* Everything diag_print would write, as a malloc'd string. */
static inline char *dc_print(DiagCtx *dc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    diag_print(dc, m);
    fclose(m);
    return buf;
}

static inline char *fx_print(Fx *f) {
    return dc_print(&f->dc);
}

#endif /* FRONT_TEST_H */
