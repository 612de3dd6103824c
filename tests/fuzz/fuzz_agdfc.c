/*
** fuzz_agdfc.c — the libFuzzer harness of agdfc's front end and emitters.
** Each input is compiled the way `agdfc` compiles a file: lexed, parsed,
** checked, its diagnostics printed, and, when it has no error, emitted as
** C (with and without --main, with and without #line), header, DOT, Mermaid
** and JSON.  Everything is written to memory (open_memstream), never to a
** file.  The whole pipeline runs twice, from a fresh arena, and the two sets
** of outputs must be byte-identical: the compiler promises deterministic
** output (docs/cli.md), and a difference means it depends on addresses,
** uninitialised memory or hash order.  A crash, a sanitizer report, a hang
** (-timeout) or a difference is a finding (abort() makes libFuzzer save it).
** Built by `make build/fuzz/fuzz_agdfc` (clang -fsanitize=fuzzer,address,
** undefined); run by tests/fuzz/run.sh and `make fuzz` (docs/testing.md).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agdfc.h"

enum { FZ_NOUT = 8 };        /* outputs of one compilation */

/* Everything one compilation writes, each output a malloc'ed buffer. */
typedef struct FzOutputs {
    char *buf[FZ_NOUT];      /* bytes written, NUL-terminated */
    size_t len[FZ_NOUT];     /* bytes, without the NUL */
    int n;                   /* outputs held */
} FzOutputs;

typedef enum FzKind {
    FZ_C, FZ_C_MAIN, FZ_C_NOLINE, FZ_H, FZ_DOT, FZ_MERMAID, FZ_JSON
} FzKind;

static const char *const fz_kind_name[FZ_NOUT] = {
    "diagnostics", "c", "c --main", "c --no-line", "h", "dot", "mermaid", "json"
};

static void fz_emit(const Graph *g, const Source *src, FzKind k, FILE *f) {
    /* Designated: a field EmitOpts gains later is zero (its default) here. */
    EmitOpts eo = {
        .line_directives = k != FZ_C_NOLINE, .with_main = k == FZ_C_MAIN,
        .header_name = "fuzz.h", .src_path = src->path,
        .out_path = k == FZ_H ? "out/fuzz.h" : "out/fuzz.c",
    };
    switch (k) {
    case FZ_C: case FZ_C_MAIN: case FZ_C_NOLINE: emit_c(g, &eo, f); break;
    case FZ_H: emit_h(g, &eo, f); break;
    case FZ_DOT: emit_dot(g, f); break;
    case FZ_MERMAID: emit_mermaid(g, f); break;
    case FZ_JSON: emit_json(g, src, f); break;
    }
}

/* Opens the next output buffer of o; abort()s when memory streams fail,
** which is the harness's fault, never the input's. */
static FILE *fz_open(FzOutputs *o) {
    FILE *f = open_memstream(&o->buf[o->n], &o->len[o->n]);
    if (!f) { perror("open_memstream"); abort(); }
    return f;
}

static void fz_close(FzOutputs *o, FILE *f) {
    if (fclose(f) != 0) { perror("fclose"); abort(); }
    o->n++;
}

/* One compilation of src, as agdfc's main does it, into o. */
static void fz_compile(const Source *src, FzOutputs *o) {
    Arena arena = { NULL };
    DiagCtx dc;
    memset(o, 0, sizeof *o);
    diag_init(&dc, src);
    Graph *g = parse_source(src, &dc, &arena);
    check_graph(g, &dc, &arena);
    FILE *f = fz_open(o);
    diag_print(&dc, f);
    fz_close(o, f);
    if (dc.nerrors == 0) {
        for (int k = FZ_C; k <= FZ_JSON; k++) {
            f = fz_open(o);
            fz_emit(g, src, (FzKind)k, f);
            fz_close(o, f);
        }
    }
    diag_free(&dc);
    parse_graph_free(g);
    arena_free(&arena);
}

static void fz_free(FzOutputs *o) {
    for (int i = 0; i < o->n; i++) free(o->buf[i]);
}

/* Reports the first difference between two compilations and aborts. */
static void fz_compare(const FzOutputs *a, const FzOutputs *b) {
    if (a->n != b->n) {
        fprintf(stderr, "fuzz_agdfc: not deterministic: %d outputs, then %d\n", a->n, b->n);
        abort();
    }
    for (int i = 0; i < a->n; i++) {
        if (a->len[i] == b->len[i] && memcmp(a->buf[i], b->buf[i], a->len[i]) == 0) continue;
        size_t at = 0;
        while (at < a->len[i] && at < b->len[i] && a->buf[i][at] == b->buf[i][at]) at++;
        fprintf(stderr, "fuzz_agdfc: not deterministic: output '%s' differs at byte %zu "
                "(%zu bytes, then %zu)\n", fz_kind_name[i], at, a->len[i], b->len[i]);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* agdfc reads a file into a buffer with a NUL sentinel after its bytes. */
    char *text = malloc(size + 1);
    if (!text) abort();
    if (size) memcpy(text, data, size);
    text[size] = '\0';
    Source src = { "fuzz.agdf", text, size };
    FzOutputs first, second;
    fz_compile(&src, &first);
    fz_compile(&src, &second);
    fz_compare(&first, &second);
    fz_free(&first);
    fz_free(&second);
    free(text);
    return 0;
}
