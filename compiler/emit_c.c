/*
** emit_c.c — the C back end: a checked Graph becomes NAME.c and NAME.h.
**
** The header holds everything a user's C file needs: the %header{ } blocks,
** one item struct per distinct type list (an edge's source output list equals
** its destination's parameter list, so both ends share one struct and a yield
** is a plain copy), one task struct per node (runtime part, input item,
** pending output item, `state` fields), the graph struct with all of its
** storage sized at compile time, and the API (NAME_init, NAME_run, NAME_step,
** NAME_start_X, prototypes of nodes implemented in C files).  The .c file holds
** the %{ } blocks, each node body wrapped as a stackless coroutine function
** that the runtime's one drain loop (agdf__drain) calls with its input item
** in place in the queue and its output window (agdf_io), the constant node
** and storage-offset
** tables the runtime reads, the API, and with --main a main().  Names the
** generated code declares where user text or user names are in scope start
** with agdf_ (a prefix user names may not use).  Every piece of user C text is preceded by a #line into the .agdf
** file and followed by a #line back into the generated file, so C compiler
** messages point at the right place either way.  Output depends only on the
** Graph: same input, same bytes.
*/
#include "agdfc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- output */

/* A FILE wrapper that counts lines, so #line can point back into itself. */
typedef struct CWriter {
    FILE *f;
    unsigned line;           /* line number of the next line written */
    const char *name;        /* the generated file's name for #line */
    bool lines;              /* emit #line directives */
    const char *src_path;    /* the .agdf path for #line */
} CWriter;

static unsigned cw_count_newlines(const char *s) {
    unsigned n = 0;
    for (const char *p = strchr(s, '\n'); p; p = strchr(p + 1, '\n'))
        n++;
    return n;
}

static void cw_puts(CWriter *w, const char *s) {
    w->line += cw_count_newlines(s);
    fputs(s, w->f);
}

/* cw_printf's output, gathered so that stdio is called once per call. */
typedef struct CwBuf {
    CWriter *w;
    size_t n;
    char s[512];
} CwBuf;

static void cw_buf_put(CwBuf *b, const char *s, size_t n) {
    if (b->n + n > sizeof b->s) {
        fwrite(b->s, 1, b->n, b->w->f);
        b->n = 0;
        if (n > sizeof b->s) {
            fwrite(s, 1, n, b->w->f);
            return;
        }
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

static void cw_buf_num(CwBuf *b, unsigned long long v, bool neg) {
    char d[24];
    size_t i = sizeof d;

    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        d[--i] = '-';
    cw_buf_put(b, d + i, sizeof d - i);
}

static void cw_buf_signed(CwBuf *b, long long v) {
    cw_buf_num(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

/* Formatted output with the directives the emitter uses, %s %d %u %lld %zu
** %%, in one pass that also counts the format's newlines and one fwrite:
** vfprintf's generality was half of agdfc's time on a 100,000-node program.
** Only the format's own newlines are counted: arguments are names, normalised
** types and numbers, never text with newlines (user C text always goes
** through cw_puts). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void cw_printf(CWriter *w, const char *fmt, ...) {
    va_list ap;
    CwBuf b;
    const char *run = fmt, *p;

    b.w = w;
    b.n = 0;
    va_start(ap, fmt);
    for (p = fmt + strcspn(fmt, "%\n"); *p; p += 1 + strcspn(p + 1, "%\n")) {
        if (*p == '\n') {
            w->line++;
            continue;
        }
        cw_buf_put(&b, run, (size_t)(p - run));
        if (p[1] == 's') {
            const char *a = va_arg(ap, const char *);
            a = a ? a : "(null)";
            cw_buf_put(&b, a, strlen(a));
        } else if (p[1] == 'd') {
            cw_buf_signed(&b, va_arg(ap, int));
        } else if (p[1] == 'u') {
            cw_buf_num(&b, va_arg(ap, unsigned), false);
        } else if (p[1] == 'z' && p[2] == 'u') {
            cw_buf_num(&b, va_arg(ap, size_t), false);
            p++;
        } else if (p[1] == 'l' && p[2] == 'l' && p[3] == 'd') {
            cw_buf_signed(&b, va_arg(ap, long long));
            p += 2;
        } else if (p[1] == '%') {
            cw_buf_put(&b, "%", 1);
        } else {
            abort();            /* a directive this writer was not taught */
        }
        p++;
        run = p + 1;
    }
    cw_buf_put(&b, run, (size_t)(p - run));
    fwrite(b.s, 1, b.n, w->f);
    va_end(ap);
}

/* Writes s as the inside of a C string literal. */
static void cw_cstring(CWriter *w, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(w->f, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(w->f, "\\%03o", *p);
        else
            fputc(*p, w->f);
    }
}

/* #line into the .agdf before user text that starts at pos.line. */
static void cw_line_src(CWriter *w, SrcPos pos) {
    if (!w->lines)
        return;
    cw_printf(w, "#line %u \"", pos.line);
    cw_cstring(w, w->src_path);
    cw_puts(w, "\"\n");
}

/* #line back into the generated file itself. */
static void cw_line_back(CWriter *w) {
    if (!w->lines)
        return;
    cw_printf(w, "#line %u \"", w->line + 1);
    cw_cstring(w, w->name);
    cw_puts(w, "\"\n");
}

/* User C text, bracketed by #line directives; always ends with a newline. */
static void cw_user_text(CWriter *w, const char *text, SrcPos pos) {
    cw_line_src(w, pos);
    cw_puts(w, text);
    size_t n = strlen(text);
    if (n == 0 || text[n - 1] != '\n')
        cw_puts(w, "\n");
    cw_line_back(w);
}

/* A part of emit_mt.c's (worker threads), written through a memory stream so
** that its lines are counted like the rest. */
static void cw_mt(CWriter *w, const Graph *g, const int *in_item, EmitMtPart part) {
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (!f)
        util_oom();
    emit_mt(g, in_item, part, f);
    if (fclose(f) != 0)
        util_oom();
    cw_puts(w, s);
    free(s);
}

/* ---------------------------------------------------------------- items */

/* Item structs: one per distinct type list, numbered in order of first use
** (node declaration order, parameters before outputs), so the numbering is
** deterministic.  Lookup is by the list's joined text, in a hash map, so
** that a graph whose every node has its own type costs linear time. */
typedef struct ItemTable {
    Vec keys;                /* of char *: "int|double" */
    StrMap index;            /* key -> item number */
    Vec lists;               /* of const CType *: first use, for the fields */
    Vec counts;              /* of int: number of types */
    int *in_item;            /* per node: item of its parameters, -1 none */
    int *out_item;           /* per node: item of its outputs, -1 none */
} ItemTable;

static char *emit_join_types(const CType *types, const Param *params, int n) {
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(types ? types[i].text : params[i].type.text) + 1;
    char *s = malloc(len);
    if (!s)
        abort();
    s[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(s, "|");
        strcat(s, types ? types[i].text : params[i].type.text);
    }
    return s;
}

/* Returns the index of the item for a type list, adding it if new. */
static int emit_item_intern(ItemTable *it, const CType *types, const Param *params, int n) {
    if (n == 0)
        return -1;
    char *key = emit_join_types(types, params, n);
    int known = strmap_get(&it->index, key);
    if (known >= 0) {
        free(key);
        return known;
    }
    *(char **)vec_push(&it->keys, sizeof(char *)) = key;
    strmap_put(&it->index, key, (int)it->keys.len - 1);
    CType *fields = calloc((size_t)n, sizeof *fields);
    if (!fields)
        abort();
    for (int i = 0; i < n; i++)
        fields[i] = types ? types[i] : params[i].type;
    *(CType **)vec_push(&it->lists, sizeof(CType *)) = fields;
    *(int *)vec_push(&it->counts, sizeof(int)) = n;
    return (int)it->keys.len - 1;
}

static void emit_items_build(ItemTable *it, const Graph *g) {
    int n = GRAPH_NNODES(g);
    memset(it, 0, sizeof *it);
    strmap_init(&it->index, (size_t)n);
    it->in_item = calloc((size_t)n + 1, sizeof(int));
    it->out_item = calloc((size_t)n + 1, sizeof(int));
    if (!it->in_item || !it->out_item)
        abort();
    for (int i = 0; i < n; i++) {
        const Node *nd = GRAPH_NODE(g, i);
        it->in_item[i] = emit_item_intern(it, NULL, nd->params, nd->nparams);
        it->out_item[i] = emit_item_intern(it, nd->outs, NULL, nd->nouts);
    }
}

static void emit_items_free(ItemTable *it) {
    for (size_t i = 0; i < it->keys.len; i++) {
        free(VEC_AT(it->keys, char *, i));
        free(VEC_AT(it->lists, CType *, i));
    }
    vec_free(&it->keys);
    strmap_free(&it->index);
    vec_free(&it->lists);
    vec_free(&it->counts);
    free(it->in_item);
    free(it->out_item);
}

/* ---------------------------------------------------------------- header */

static int64_t emit_total_tasks(const Graph *g) {
    int64_t t = 0;
    for (int i = 0; i < GRAPH_NNODES(g); i++)
        t += GRAPH_NODE(g, i)->max_tasks;
    return t;
}

static void emit_h_items(CWriter *w, const Graph *g, const ItemTable *it) {
    if (it->keys.len)
        cw_puts(w, "/* Items: one struct per distinct type list; v0, v1, ... in order. */\n");
    for (size_t i = 0; i < it->keys.len; i++) {
        const CType *f = VEC_AT(it->lists, CType *, i);
        int n = VEC_AT(it->counts, int, i);
        cw_printf(w, "typedef struct %s__item%zu {", g->name, i);
        for (int k = 0; k < n; k++)
            cw_printf(w, " %s v%d;", f[k].text, k);
        cw_printf(w, " } %s__item%zu;\n", g->name, i);
    }
    if (it->keys.len)
        cw_puts(w, "\n");
}

static void cw_item_type(CWriter *w, const Graph *g, int item) {
    if (item < 0)
        cw_puts(w, "char");
    else
        cw_printf(w, "%s__item%d", g->name, item);
}

static void emit_h_task(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd) {
    cw_printf(w, "/* Node %s: one per task (max_tasks = %lld). */\n", nd->name,
              (long long)nd->max_tasks);
    /* A spread node's tasks run on several threads: each on its own cache
    ** lines, or the threads would write the same line per item. */
    cw_printf(w, "typedef struct %s%s_%s_task {\n",
              g->threads > 1 && nd->spread ? "AGDF__LINE_ALIGNED " : "", g->name, nd->name);
    cw_puts(w, "    agdf_task agdf;\n    ");
    cw_item_type(w, g, it->in_item[nd->id]);
    cw_puts(w, " agdf_in;\n    ");
    cw_item_type(w, g, it->out_item[nd->id]);
    cw_puts(w, " agdf_out;\n");
    if (nd->state)
        cw_user_text(w, nd->state, nd->state_pos);
    cw_printf(w, "} %s_%s_task;\n", g->name, nd->name);
    /* The output constructor, for AGDF_OUT_MAKE in C files. */
    if (it->out_item[nd->id] < 0)
        cw_printf(w, "#define %s_%s_OUT() 0\n", g->name, nd->name);
    else
        cw_printf(w, "#define %s_%s_OUT(...) ((%s__item%d){__VA_ARGS__})\n", g->name,
                  nd->name, g->name, it->out_item[nd->id]);
    cw_puts(w, "\n");
}

static void emit_h_graph_struct(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    cw_printf(w, "/* The whole graph: every byte it uses, sized at compile time. */\n");
    cw_printf(w, "struct %s {\n", G);
    cw_puts(w, "    agdf_graph agdf;                          /* scheduler state */\n");
    cw_printf(w, "    agdf_node agdf_nodes[%s_NNODES];\n", G);
    cw_printf(w, "    agdf_task *agdf_timers[%s_NTASKS];\n", G);
    cw_printf(w, "    agdf_fdslot agdf_fds[%s_NTASKS + 1];\n", G);
    if (g->max_exceptions > 0)
        cw_printf(w, "    agdf_error agdf_errors[%lld];              /* max_exceptions, shared */\n",
                  (long long)g->max_exceptions);
    if (g->offload_threads > 0)
        cw_printf(w, "    agdf_offload_slot agdf_workers[%s_OFFLOAD_THREADS]; /* offload pool */\n", G);
    cw_puts(w, "    struct {\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        cw_printf(w, "        struct {\n            %s_%s_task tasks[%lld];\n", G, nd->name,
                  (long long)nd->max_tasks);
        if (it->in_item[i] >= 0)
            cw_printf(w, "            %s__item%d queue[%lld];\n", G, it->in_item[i],
                      (long long)nd->queue_size);
        if (nd->input && it->in_item[i] >= 0)     /* agdf_post's ring: queue_size items */
            cw_printf(w, "            %s__item%d inbox[%lld];\n", G, it->in_item[i],
                      (long long)nd->queue_size);
        else if (nd->input)
            cw_puts(w, "            char inbox;\n");
        /* threads: nodes on different threads never share a cache line. */
        cw_printf(w, "        } %s%s;\n", nd->name, g->threads > 1 ? " AGDF__LINE_ALIGNED" : "");
    }
    cw_puts(w, "    } n;                                      /* per node storage */\n");
    cw_mt(w, g, it->in_item, EMIT_MT_STRUCT);
    cw_puts(w, "};\n\n");
    /* agdfc cannot know the size of C types, the C compiler can: an array of
    ** negative size (C99 has no _Static_assert) whose name says what failed. */
    cw_printf(w, "/* The graph's static storage must stay within AGDF_GRAPH_MAX_BYTES (see\n"
                 "** docs/language.md, \"Limits\"): an error on the next line means it does not. */\n"
                 "#ifndef AGDF_GRAPH_MAX_BYTES\n#define AGDF_GRAPH_MAX_BYTES %lldu\n#endif\n"
                 "typedef char %s_graph_struct_exceeds_AGDF_GRAPH_MAX_BYTES\n"
                 "    [sizeof(struct %s) <= AGDF_GRAPH_MAX_BYTES ? 1 : -1];\n\n",
              AGDFC_GRAPH_BYTES, G, G);
}

/* The parameter list of a node as a C prototype fragment: ", int a, word b". */
static void cw_params(CWriter *w, const Node *nd) {
    for (int k = 0; k < nd->nparams; k++)
        cw_printf(w, ", %s %s", nd->params[k].type.text, nd->params[k].name);
}

/* static inline int G_VERB_X(G *g, PARAMS): builds node X's item from its
** typed parameters and hands it to agdf_VERB (agdf_start, agdf_push). */
static void emit_h_item_fn(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd,
                           const char *verb) {
    const char *G = g->name;
    cw_printf(w, "static inline int %s_%s_%s(%s *agdf_g", G, verb, nd->name, G);
    cw_params(w, nd);
    if (it->in_item[nd->id] < 0) {
        cw_printf(w, ")\n{ return agdf_%s(&agdf_g->agdf, %s_NODE_%s, NULL); }\n", verb, G,
                  nd->name);
        return;
    }
    cw_printf(w, ")\n{ %s__item%d agdf_item;", G, it->in_item[nd->id]);
    for (int k = 0; k < nd->nparams; k++)
        cw_printf(w, " agdf_item.v%d = %s;", k, nd->params[k].name);
    cw_printf(w, " return agdf_%s(&agdf_g->agdf, %s_NODE_%s, &agdf_item); }\n", verb, G,
              nd->name);
}

/* The life cycle API (docs/language.md §11): G_push_X and G_close_X per input
** node, G_room and G_close_inputs when there is one, G_stop always; static
** inline like the start functions. */
static void emit_h_inputs(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    bool any = false;
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        if (!nd->input)
            continue;
        if (!any)
            cw_puts(w, "/* Inputs: a push queues one item: 0, AGDF_FULL (queue full, nothing\n"
                       "** queued), AGDF_CLOSED; a post does it from another thread through\n"
                       "** the input's inbox; a close says no more items will come. */\n");
        any = true;
        emit_h_item_fn(w, g, it, nd, "push");
        emit_h_item_fn(w, g, it, nd, "post");
        cw_printf(w, "static inline int %s_close_%s(%s *agdf_g)\n"
                     "{ return agdf_close(&agdf_g->agdf, %s_NODE_%s); }\n", G, nd->name, G, G,
                  nd->name);
    }
    if (any) {
        cw_printf(w, "/* Items a push into input node `node` (G_NODE_x) would queue now. */\n"
                     "static inline uint32_t %s_room(%s *agdf_g, int node)\n"
                     "{ return agdf_room(&agdf_g->agdf, (uint32_t)node); }\n", G, G);
        cw_printf(w, "static inline void %s_close_inputs(%s *agdf_g)\n"
                     "{ agdf_close_inputs(&agdf_g->agdf); }\n", G, G);
    }
    cw_printf(w, "/* AGDF_STOP_DRAIN or AGDF_STOP_ABORT; safe from a signal handler. */\n"
                 "static inline void %s_stop(%s *agdf_g, int mode)\n"
                 "{ agdf_stop(&agdf_g->agdf, mode); }\n\n", G, G);
}

/* Start functions are static inline in the header: each is one agdf_start
** call, and a program calls few of them, so only those are ever compiled (a
** 1,000-node graph's .c file would otherwise compile 1,000 functions more). */
static void emit_h_starts(CWriter *w, const Graph *g, const ItemTable *it) {
    cw_puts(w, "/* Start items: typed, one function per node; 0, or -1 when its queue is full\n"
               "** or when called from inside a node body. */\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++)
        emit_h_item_fn(w, g, it, GRAPH_NODE(g, i), "start");
    cw_puts(w, "\n");
    emit_h_inputs(w, g, it);
}

static void emit_h_api(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    cw_printf(w, "/* Resets the graph (counters, queues, tasks, errors); call before each run. */\n"
                 "void %s_init(%s *g);\n", G, G);
    cw_printf(w, "/* Runs to completion.  Queues the default start items first when no\n"
                 "** %s_start_* call was made since %s_init.  AGDF_OK, AGDF_ERRORS (some node\n"
                 "** raised), AGDF_HALTED, AGDF_STOPPED, or AGDF_IDLE: inputs open, nothing\n"
                 "** to wait for (push or close, then run again). */\n"
                 "agdf_status %s_run(%s *g);\n", G, G, G, G);
    cw_printf(w, "/* Runs at most budget task resumptions without blocking, for programs\n"
                 "** that own their main loop: AGDF_STEP_READY, AGDF_STEP_WAIT (*wait_ms: time\n"
                 "** to the next deadline, -1 when only fds or offloads are pending),\n"
                 "** AGDF_STEP_IDLE (inputs open, nothing ready) or AGDF_STEP_DONE. */\n"
                 "int %s_step(%s *g, unsigned budget, long long *wait_ms);\n", G, G);
    cw_printf(w, "/* The runtime object, for agdf_node_stats, agdf_error_at and options\n"
                 "** (agdf_set_offload_threads: 0 to %s_OFFLOAD_THREADS, before the run). */\n"
                 "agdf_graph *%s_graph(%s *g);\n\n", G, G, G);
    emit_h_starts(w, g, it);
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        if (nd->body)
            continue;
        cw_printf(w, "/* Node %s has no body: implement it in a C file as a coroutine,\n"
                     "**   #define AGDF_OUT_MAKE %s_%s_OUT\n"
                     "**   int %s_%s(%s_%s_task *self%s...)\n"
                     "**   { AGDF_BEGIN(self); ... AGDF_YIELD(...); ... AGDF_END(self); }\n"
                     "** It is called for each item and again at each resume, with the\n"
                     "** parameters re-read from the saved item. */\n",
                  nd->name, G, nd->name, G, nd->name, G, nd->name, nd->nparams ? ", " : "");
        cw_printf(w, "int %s_%s(%s_%s_task *self", G, nd->name, G, nd->name);
        cw_params(w, nd);
        cw_puts(w, ");\n\n");
    }
}

static void emit_verbatims(CWriter *w, const Graph *g, bool header) {
    for (size_t i = 0; i < g->verbatims.len; i++) {
        const Verbatim *v = &VEC_AT(g->verbatims, Verbatim, i);
        if (v->header == header)
            cw_user_text(w, v->text, v->pos);
    }
}

static void cw_open(CWriter *w, FILE *out, const EmitOpts *o, const char *name) {
    w->f = out;
    w->line = 1;
    w->name = name;
    w->lines = o->line_directives;
    w->src_path = o->src_path ? o->src_path : "input.agdf";
}

static void cw_banner(CWriter *w, const Graph *g, const EmitOpts *o) {
    cw_printf(w, "/* Generated by agdfc %s from ", AGDFC_VERSION);
    cw_cstring(w, o->src_path ? o->src_path : "input.agdf");
    cw_printf(w, " (graph %s).  Do not edit. */\n", g->name);
}

/* The header's file name without directories, and the .c beside it. */
static char *emit_c_name_of(const char *header) {
    size_t n = strlen(header);
    char *s = malloc(n + 3);
    if (!s)
        abort();
    memcpy(s, header, n + 1);
    if (n >= 2 && strcmp(s + n - 2, ".h") == 0)
        s[n - 1] = 'c';
    else
        strcat(s, ".c");
    return s;
}

static void emit_guard_name(CWriter *w, const Graph *g) {
    cw_puts(w, "AGDF_GENERATED_");
    for (const char *p = g->name; *p; p++)
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, w->f);
    cw_puts(w, "_H");
}

void emit_h(const Graph *g, const EmitOpts *o, FILE *out) {
    CWriter w;
    const char *G = g->name;
    ItemTable it;
    cw_open(&w, out, o, o->out_path ? o->out_path : o->header_name ? o->header_name : "graph.h");
    emit_items_build(&it, g);
    cw_banner(&w, g, o);
    cw_puts(&w, "#ifndef ");
    emit_guard_name(&w, g);
    cw_puts(&w, "\n#define ");
    emit_guard_name(&w, g);
    cw_puts(&w, "\n\n#include \"agdf.h\"\n\n");
    emit_verbatims(&w, g, true);
    cw_printf(&w, "typedef struct %s %s;\n\n", G, G);
    cw_puts(&w, "/* Node ids, in declaration order. */\nenum {\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++)
        cw_printf(&w, "    %s_NODE_%s = %d,\n", G, GRAPH_NODE(g, i)->name, i);
    cw_printf(&w, "    %s_NNODES = %d,\n", G, GRAPH_NNODES(g));
    cw_printf(&w, "    %s_NTASKS = %lld,\n", G, (long long)emit_total_tasks(g));
    cw_printf(&w, "    %s_THREADS = %lld, /* most worker threads (graph attribute threads) */\n", G,
              (long long)g->threads);
    cw_printf(&w, "    %s_OFFLOAD_THREADS = %lld /* most offloaded calls running at once */\n};\n\n",
              G, (long long)g->offload_threads);
    emit_h_items(&w, g, &it);
    cw_puts(&w, "/* Task structs: agdf (the runtime part, first), agdf_in (the input item of\n"
                "** the invocation), agdf_out (the item being yielded), then the node's state. */\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++)
        emit_h_task(&w, g, &it, GRAPH_NODE(g, i));
    emit_h_graph_struct(&w, g, &it);
    emit_h_api(&w, g, &it);
    cw_puts(&w, "#endif\n");
    emit_items_free(&it);
}

/* ---------------------------------------------------------------- .c */

/* The parameters: agdf_i points at the input item (its queue slot while the
** burst lasts, the task's agdf_in after a suspension).  A parameter read in
** place is a macro of the item's member, or its uses are rewritten to it in
** the body's text (body_rewrite_params), so it keeps what the body assigns
** across a suspension; any other is a local copied at every (re)entry. */
static void emit_c_params(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd,
                          const BodyParamMode *modes) {
    if (nd->nparams)
        cw_printf(w, "    %s__item%d *agdf_i = (%s__item%d *)agdf_w.in;\n", g->name,
                  it->in_item[nd->id], g->name, it->in_item[nd->id]);
    for (int k = 0; k < nd->nparams; k++) {
        BodyParamMode m = modes[k];
        if (m == BODY_PARAM_ALIAS)
            cw_printf(w, "#define %s (agdf_i->v%d)\n", nd->params[k].name, k);
        else if (m == BODY_PARAM_COPY)
            cw_printf(w, "    %s %s = agdf_i->v%d;\n", nd->params[k].type.text,
                      nd->params[k].name, k);
    }
    cw_puts(w, "   ");
    for (int k = 0; k < nd->nparams; k++)
        if (modes[k] != BODY_PARAM_REWRITE)
            cw_printf(w, " (void)%s;", nd->params[k].name);
    cw_puts(w, nd->nparams ? " (void)agdf_i;" : "");
    cw_puts(w, " (void)self; (void)agdf_o; (void)agdf_w;\n");
}

static void emit_c_params_end(CWriter *w, const Node *nd, const BodyParamMode *modes) {
    for (int k = 0; k < nd->nparams; k++)
        if (modes[k] == BODY_PARAM_ALIAS)
            cw_printf(w, "#undef %s\n", nd->params[k].name);
}

/* AGDF__SET(a0, a1, ...), the item of AGDF_YIELD(a0, a1, ...) built member
** by member in the slot agdf_p (AGDF__PUT_SET), one argument per output (a
** wrong count is the C compiler's error at the yield's line). */
static void emit_c_set(CWriter *w, const Node *nd) {
    if (nd->nouts == 0) {
        cw_puts(w, "\n#define AGDF__SET() (*agdf_p = 0)\n");
        return;
    }
    cw_puts(w, "\n#define AGDF__SET(");
    for (int k = 0; k < nd->nouts; k++)
        cw_printf(w, "%sagdf_a%d", k ? ", " : "", k);
    cw_puts(w, ") (");
    for (int k = 0; k < nd->nouts; k++)
        cw_printf(w, "%sagdf_p->v%d = (agdf_a%d)", k ? ", " : "", k, k);
    cw_puts(w, ")\n");
}

/* Whether nd's yields all go to one destination that holds one item: its
** bodies then define AGDF__ONE 1, the put's first case (runtime/agdf.h). */
static bool emit_c_put_one(const Graph *g, const ItemTable *it, const Node *nd) {
    return nd->nsucc == 1 && it->in_item[nd->succ[0]] >= 0
           && GRAPH_NODE(g, nd->succ[0])->queue_size == 1;
}

/* Whether a put of nd whose window is used up may open one at its slot
** (agdf__put_slot): one destination, keeping items, more than one of them.
** A node with destinations and no such one defines AGDF__OPEN 0: its puts
** build in agdf_out with no call to ask. */
static bool emit_c_put_opens(const Graph *g, const ItemTable *it, const Node *nd) {
    return nd->nsucc == 1 && it->in_item[nd->succ[0]] >= 0
           && GRAPH_NODE(g, nd->succ[0])->queue_size > 1;
}

/* Whether nd's functions walk the drain loop's agdf_io itself instead of a
** copy: a node whose queue holds one item and whose puts go straight
** (AGDF__ONE, or none) never has a window, so there is no copy to load,
** keep and store back at every resumption. */
static bool emit_c_walks_io(const Graph *g, const ItemTable *it, const Node *nd) {
    return nd->queue_size == 1 && (emit_c_put_one(g, it, nd) || nd->nsucc == 0);
}

/* Whether the runtime may give nd's yields a window shared by its
** destinations (agdf.c's fan_ok: several, distinct, not nd, all keeping the
** items): then AGDF__FAN has stores to write. */
static bool emit_c_fans(const ItemTable *it, const Node *nd) {
    if (nd->nsucc < 2)
        return false;
    for (int k = 0; k < nd->nsucc; k++)
        if (nd->succ[k] == nd->id || it->in_item[nd->succ[k]] < 0)
            return false;
    return true;
}

/* The stores of AGDF__FAN from src: `*(T *)(slot of destination k) = src;`
** for every destination after the first. */
static void emit_c_fan_stores(CWriter *w, const Graph *g, const Node *nd, const char *src) {
    for (int k = 1; k < nd->nsucc; k++)
        cw_printf(w, "            *(AGDF__OUT_T *)(void *)(agdf_n[%s_NODE_%s].wout + agdf_f) = %s; \\\n",
                  g->name, GRAPH_NODE(g, nd->succ[k])->name, src);
}

/* AGDF__FAN(w, p), the rest of a put into a shared fan-out window (see
** AGDF__PUT_SET): the item, built at p in the first destination's window,
** stored into each other destination's at the same offset, no call; nothing
** for a node that never holds one.  A small item is read once into a local
** (the stores could alias p: read from p, it would be loaded again before
** each), a large one copied from p (no extra copy).  agdf_n is the graph's
** node array, read once per walk. */
static void emit_c_fan(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd) {
    cw_puts(w, "#undef AGDF__FAN\n");
    if (!emit_c_fans(it, nd)) {
        cw_puts(w, "#define AGDF__FAN(w, p) ((void)0)\n");
        return;
    }
    cw_printf(w, "    agdf_node *agdf_n = agdf_t->node->graph->nodes;\n    (void)agdf_n;\n"
                 "#define AGDF__FAN(w, p) do { \\\n"
                 "        size_t agdf_f = (size_t)((w).out - agdf_n[%s_NODE_%s].wout); \\\n"
                 "        if (sizeof *(p) <= 16) { \\\n"
                 "            AGDF__OUT_T agdf_v = *(p); \\\n",
              g->name, GRAPH_NODE(g, nd->succ[0])->name);
    emit_c_fan_stores(w, g, nd, "agdf_v");
    cw_puts(w, "        } else { \\\n");
    emit_c_fan_stores(w, g, nd, "*(p)");
    cw_puts(w, "        } \\\n    } while (0)\n");
}

/* The head of a body or on_close function, the node table's .body or
** .on_close: the task, the body's copy of the drain loop's agdf_io (agdf_w,
** AGDF__WINDOW in agdf.h: in registers, stored back at every return; or
** agdf_io itself, emit_c_walks_io), and the output item type and
** constructor its yields (AGDF__PUT_SET, AGDF__PUT) use.  gdb's frame 0 in
** a body is NAME_body, frame 1 the drain loop. */
static void emit_c_fn_head(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd,
                           const char *what) {
    const char *G = g->name;
    cw_printf(w, "static int %s__%s_%s(agdf_task *agdf_t, agdf_io *agdf_o)\n{\n", G, nd->name,
              what);
    cw_printf(w, "    %s_%s_task *self = (%s_%s_task *)(void *)agdf_t;\n", G, nd->name, G,
              nd->name);
    if (emit_c_walks_io(g, it, nd))
        cw_puts(w, "#define agdf_w (*agdf_o)\n");
    else
        cw_puts(w, "    AGDF__WINDOW(agdf_o);\n#define agdf_w AGDF__W\n    (void)agdf_w;\n");
    cw_printf(w, "#define AGDF_OUT_MAKE %s_%s_OUT\n#define AGDF__OUT_T ", G, nd->name);
    cw_item_type(w, g, it->out_item[nd->id]);
    emit_c_set(w, nd);
    if (emit_c_put_one(g, it, nd))
        cw_puts(w, "#undef AGDF__ONE\n#define AGDF__ONE 1\n");
    if (nd->nsucc && !emit_c_put_opens(g, it, nd))
        cw_puts(w, "#undef AGDF__OPEN\n#define AGDF__OPEN 0\n");
    emit_c_fan(w, g, it, nd);
}

/* The end of a body or on_close function: its macros undone (AGDF__ONE back
** to 0, AGDF__OPEN to 1 for the next node). */
static void emit_c_fn_tail(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd) {
    cw_puts(w, "#undef agdf_w\n#undef AGDF_OUT_MAKE\n#undef AGDF__OUT_T\n#undef AGDF__SET\n"
               "#undef AGDF__FAN\n");
    if (emit_c_put_one(g, it, nd))
        cw_puts(w, "#undef AGDF__ONE\n#define AGDF__ONE 0\n");
    if (nd->nsucc && !emit_c_put_opens(g, it, nd))
        cw_puts(w, "#undef AGDF__OPEN\n#define AGDF__OPEN 1\n");
    cw_puts(w, "}\n\n");
}

/* The on_close block: a coroutine of its own on the task (resume point in
** self->agdf.lc), run by the drain loop while the task's busy is 2. */
static void emit_c_close(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd) {
    if (!nd->on_close)
        return;
    emit_c_fn_head(w, g, it, nd, "close");
    cw_puts(w, "    AGDF_BEGIN(self);\n    {\n");
    cw_user_text(w, nd->on_close, nd->on_close_pos);
    cw_puts(w, "    }\n    AGDF_END(self);\n");
    emit_c_fn_tail(w, g, it, nd);
}

/* The body as a function of (task, agdf_io), the node table's .body, which
** the runtime's drain loop calls: it runs or resumes the invocation at
** io->in (resume point self->agdf.lc), then goes on with the next items of
** the burst's window itself (AGDF__NEXT), parameters read afresh, until the
** window is used up or it must wait.  A node implemented in a C file gets
** its parameters as values, one item per call. */
static void emit_c_body(CWriter *w, const Graph *g, const ItemTable *it, const Node *nd) {
    const char *G = g->name;
    BodyParamMode *modes = calloc((size_t)nd->nparams + 1, sizeof *modes);
    if (!modes)
        abort();
    for (int k = 0; k < nd->nparams; k++)      /* once each: it reads the verbatim blocks */
        modes[k] = body_param_mode(g, nd, k);
    if (!nd->body) {
        cw_printf(w, "static int %s__%s_body(agdf_task *agdf_t, agdf_io *agdf_o)\n{\n", G,
                  nd->name);
        cw_printf(w, "    %s_%s_task *self = (%s_%s_task *)(void *)agdf_t;\n", G, nd->name,
                  G, nd->name);
        cw_puts(w, "    agdf_io agdf_w = *agdf_o;\n");
        emit_c_params(w, g, it, nd, modes);
        cw_printf(w, "    return %s_%s(self", G, nd->name);
        for (int k = 0; k < nd->nparams; k++)
            cw_printf(w, ", %s", nd->params[k].name);
        cw_puts(w, ");\n}\n\n");
        free(modes);
        return;
    }
    /* A queue of one item never grants a window (agdf_io's nin is 0): the
    ** walk ends with its one item. */
    bool walk = nd->queue_size > 1;
    emit_c_fn_head(w, g, it, nd, "body");
    cw_puts(w, walk ? "    int agdf_lc = self->agdf.lc;\nagdf_next:;\n    {\n"
                    : "    int agdf_lc = self->agdf.lc;\n    {\n");
    emit_c_params(w, g, it, nd, modes);
    cw_puts(w, "    AGDF__BEGIN_AT(agdf_lc);\n    {\n");
    char *text = body_rewrite_params(nd, modes);
    cw_user_text(w, text ? text : nd->body, nd->body_pos);
    free(text);
    cw_puts(w, "    }\n        break;\n    default:\n"
                "        return AGDF__LOST;\n    }\n    }\n");
    emit_c_params_end(w, nd, modes);
    free(modes);
    if (!walk) {
        cw_puts(w, "    return AGDF_DONE;\n");
        emit_c_fn_tail(w, g, it, nd);
        return;
    }
    cw_puts(w, "    agdf_lc = 0;\n    AGDF__NEXT(agdf_w, ");
    if (it->in_item[nd->id] >= 0)
        cw_printf(w, "sizeof(%s__item%d)", G, it->in_item[nd->id]);
    else
        cw_puts(w, "0");
    cw_puts(w, ", agdf_next);\n");
    emit_c_fn_tail(w, g, it, nd);
}

static void emit_c_tables(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        if (nd->nsucc == 0)
            continue;
        cw_printf(w, "static const uint32_t %s__dst_%s[] = {", G, nd->name);
        for (int k = 0; k < nd->nsucc; k++)
            cw_printf(w, "%s %s_NODE_%s", k ? "," : "", G, GRAPH_NODE(g, nd->succ[k])->name);
        cw_puts(w, " };\n");
    }
    /* Designated initializers throughout, so that the tables read (and print
    ** in gdb) field by field. */
    cw_printf(w, "\nstatic const agdf_node_def %s__nodes[%s_NNODES] = {\n", G, G);
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        cw_printf(w, "    [%s_NODE_%s] = { .name = \"%s\", .ntasks = %lld, "
                     ".task_size = sizeof(%s_%s_task),\n", G, nd->name, nd->name,
                  (long long)nd->max_tasks, G, nd->name);
        cw_printf(w, "      .in_offset = offsetof(%s_%s_task, agdf_in), "
                     ".out_offset = offsetof(%s_%s_task, agdf_out),\n", G, nd->name, G, nd->name);
        if (it->in_item[i] >= 0)
            cw_printf(w, "      .item_size = sizeof(%s__item%d),", G, it->in_item[i]);
        else
            cw_puts(w, "      .item_size = 0,");
        cw_printf(w, " .queue_size = %lld, .halt_on_exception = %d,\n      ",
                  (long long)nd->queue_size, nd->halt_on_exception);
        if (nd->nsucc)
            cw_printf(w, ".dst = %s__dst_%s, .ndst = %d, ", G, nd->name, nd->nsucc);
        cw_printf(w, ".body = %s__%s_body", G, nd->name);
        if (nd->on_close)
            cw_printf(w, ", .on_close = %s__%s_close", G, nd->name);
        cw_puts(w, " },\n");
    }
    cw_puts(w, "};\n\n");
    cw_printf(w, "static const agdf_graph_def %s__def = {\n    .name = \"%s\", "
                 ".nnodes = %s_NNODES, .nodes = %s__nodes,\n"
                 "    .halt_on_exception = %d, .max_exceptions = %lld\n};\n\n",
              G, G, G, G, g->halt_on_exception ? 1 : 0, (long long)g->max_exceptions);
    cw_mt(w, g, it->in_item, EMIT_MT_TABLES);
}

/* NAME_init: the storage of every node as a constant table of offsets into the
** graph struct, read by a loop in agdf_init (a statement per node would make
** big graphs slow to compile and put a per-node array on the stack). */
static void emit_c_init(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    cw_printf(w, "static const agdf_node_off %s__mem[%s_NNODES] = {\n", G, G);
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const char *X = GRAPH_NODE(g, i)->name;
        cw_printf(w, "    [%s_NODE_%s] = { .tasks = offsetof(%s, n.%s.tasks)", G, X, G, X);
        if (it->in_item[i] >= 0)
            cw_printf(w, ", .queue = offsetof(%s, n.%s.queue)", G, X);
        cw_puts(w, " },\n");
    }
    cw_puts(w, "};\n\n");
    cw_printf(w, "void %s_init(%s *g)\n{\n", G, G);
    cw_printf(w, "    agdf_graph_mem gm = { .nodes = g->agdf_nodes, .node_off = %s__mem, .base = g,\n", G);
    cw_printf(w, "        .timers = g->agdf_timers, .fds = g->agdf_fds, .errors = %s,\n"
        "        .workers = %s, .nworkers = %s_OFFLOAD_THREADS };\n",
              g->max_exceptions > 0 ? "g->agdf_errors" : "NULL",
              g->offload_threads > 0 ? "g->agdf_workers" : "NULL", G);
    cw_printf(w, "    agdf_init(&g->agdf, &%s__def, &gm);\n", G);
    if (g->handoff)
        cw_puts(w, "    g->agdf.handoff = 1;        /* graph attribute handoff = true */\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *nd = GRAPH_NODE(g, i);
        if (nd->input && it->in_item[i] >= 0)
            cw_printf(w, "    agdf_input(&g->agdf, %s_NODE_%s, g->n.%s.inbox);\n", G,
                      nd->name, nd->name);
        else if (nd->input)
            cw_printf(w, "    agdf_input(&g->agdf, %s_NODE_%s, &g->n.%s.inbox);\n", G,
                      nd->name, nd->name);
        if (nd->on_close)
            cw_printf(w, "    agdf_on_close(&g->agdf, %s_NODE_%s);\n", G, nd->name);
    }
    cw_mt(w, g, it->in_item, EMIT_MT_INIT);
    cw_puts(w, "}\n\n");
}

static void emit_c_starts(CWriter *w, const Graph *g) {
    const char *G = g->name;
    /* The graph's own start items: `start` statements, or default start nodes.
    ** Every generated name in scope of user text (start arguments) or beside
    ** user parameter names starts with agdf_, which user names may not. */
    cw_printf(w, "static void %s__default_starts(%s *agdf_g)\n{\n", G, G);
    if (g->starts.len == 0) {
        for (int k = 0; k < g->nstart_nodes; k++)
            cw_printf(w, "    (void)%s_start_%s(agdf_g);\n", G, GRAPH_NODE(g, g->start_nodes[k])->name);
    }
    for (size_t s = 0; s < g->starts.len; s++) {
        const StartItem *st = GRAPH_START(g, s);
        cw_line_src(w, st->pos);
        cw_printf(w, "    (void)%s_start_%s(agdf_g", G, st->name);
        for (int a = 0; a < st->nargs; a++) {
            cw_puts(w, ", ");
            cw_puts(w, st->args[a].text);   /* may span lines */
        }
        cw_puts(w, ");\n");
        cw_line_back(w);
    }
    cw_puts(w, "    (void)agdf_g;\n}\n\n");
}

static void emit_c_api(CWriter *w, const Graph *g) {
    const char *G = g->name;
    cw_printf(w, "agdf_status %s_run(%s *g)\n{\n", G, G);
    cw_printf(w, "    if (agdf_started(&g->agdf) == 0)\n        %s__default_starts(g);\n", G);
    cw_puts(w, "    return agdf_run(&g->agdf);\n}\n\n");
    cw_printf(w, "int %s_step(%s *g, unsigned budget, long long *wait_ms)\n{\n", G, G);
    cw_puts(w, "    int64_t ms = -1;\n    int r;\n");
    cw_printf(w, "    if (agdf_started(&g->agdf) == 0 && agdf_result(&g->agdf) == AGDF_OK)\n"
                 "        %s__default_starts(g);\n", G);
    cw_puts(w, "    r = agdf_step(&g->agdf, budget, &ms);\n");
    cw_puts(w, "    if (wait_ms)\n        *wait_ms = (long long)ms;\n    return r;\n}\n\n");
    cw_printf(w, "agdf_graph *%s_graph(%s *g)\n{\n    return &g->agdf;\n}\n\n", G, G);
}

/* --memory of the generated main: the graph's static size (sizeof the graph
** struct), then its parts; a node's queue and tasks come from its agdf_node_def
** (sizeof the item times queue_size, sizeof the task struct times max_tasks). */
static void emit_c_main_memory(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    const char *errs = g->max_exceptions > 0 ? "sizeof agdf_main_graph.agdf_errors" : "0";
    const char *thr = g->threads > 1 ? " - sizeof agdf_main_graph.agdf_threads" : "";
    cw_puts(w, "static void agdf_main_memory(void)\n{\n");
    cw_printf(w, "    const agdf_graph_def *d = &%s__def;\n", G);
    cw_puts(w, "    unsigned long q, t, nodes = 0;\n    uint32_t i;\n");
    cw_puts(w, "    for (i = 0; i < d->nnodes; i++)\n"
               "        nodes += (unsigned long)(d->nodes[i].queue_size * d->nodes[i].item_size\n"
               "                                 + d->nodes[i].ntasks * d->nodes[i].task_size);\n");
    cw_printf(w, "    printf(\"graph %s: %%lu bytes static\\n\", (unsigned long)sizeof(%s));\n", G, G);
    cw_printf(w, "    printf(\"  runtime: %%lu bytes (scheduler, %%lu nodes, timer and fd slots of %%lu tasks, padding)\\n\",\n"
                 "           (unsigned long)(sizeof(%s) - sizeof agdf_main_graph.n - %s%s),\n"
                 "           (unsigned long)d->nnodes, (unsigned long)%s_NTASKS);\n", G, errs, thr,
              G);
    cw_printf(w, "    printf(\"  errors: %%lu bytes (%%lu records of %%lu, shared by the nodes)\\n\",\n"
                 "           (unsigned long)%s, (unsigned long)d->max_exceptions,\n"
                 "           (unsigned long)sizeof(agdf_error));\n", errs);
    cw_puts(w, "    printf(\"  nodes: %lu bytes (%lu with padding)\\n\", nodes,\n"
               "           (unsigned long)sizeof agdf_main_graph.n);\n");
    cw_puts(w, "    for (i = 0; i < d->nnodes; i++) {\n"
               "        q = (unsigned long)(d->nodes[i].queue_size * d->nodes[i].item_size);\n"
               "        t = (unsigned long)(d->nodes[i].ntasks * d->nodes[i].task_size);\n"
               "        printf(\"  node %s: %lu bytes (queue %lu, tasks %lu)\\n\", d->nodes[i].name,\n"
               "               q + t, q, t);\n    }\n");
    cw_mt(w, g, it->in_item, EMIT_MT_MEMORY);
    cw_puts(w, "}\n\n");
}

/* The --main program's SIGINT/SIGTERM handler: the first drains the run, a
** second aborts it (agdf_stop only sets a flag: async-signal-safe). */
static void emit_c_main_signal(CWriter *w) {
    cw_puts(w,
        "static void agdf_main_signal(int sig)\n{\n"
        "    static volatile sig_atomic_t agdf_n;\n"
        "    (void)sig;\n"
        "    agdf_n = agdf_n + 1;\n"
        "    agdf_stop(&agdf_main_graph.agdf, agdf_n == 1 ? AGDF_STOP_DRAIN : AGDF_STOP_ABORT);\n"
        "}\n\n");
}

/* main() for --main: flags, run, report; exit codes documented in --help. */
static void emit_c_main(CWriter *w, const Graph *g, const ItemTable *it) {
    const char *G = g->name;
    cw_printf(w, "static %s agdf_main_graph;\n\n", G);
    cw_puts(w,
        "static void agdf_main_usage(FILE *f, const char *argv0)\n{\n"
        "    fprintf(f, \"usage: %s [options]\\n\"\n");
    cw_printf(w, "        \"Runs the graph %s.\\n\\n\"\n", G);
    if (g->usage) {                 /* the graph's own usage text, %usage{ %} */
        size_t n = strlen(g->usage), k = 0;
        char *s = malloc(2 * n + 1);    /* '%' doubled: the text is in a format */
        if (!s)
            abort();
        for (size_t i = 0; i < n; i++) {
            s[k++] = g->usage[i];
            if (g->usage[i] == '%')
                s[k++] = '%';
        }
        s[k] = '\0';
        cw_puts(w, "        \"");
        cw_cstring(w, s);
        cw_puts(w, "\\n\\n\"\n");
        free(s);
    }
    cw_puts(w,
        "        \"  --stats               final data-flow statistics to stderr (the\\n\"\n"
        "        \"                        --log-nodes filter applies)\\n\"\n"
        "        \"  --log-interval=SECS   log data-flow statistics every SECS seconds\\n\"\n"
        "        \"  --log-nodes=A,B       only log these nodes\\n\"\n"
        "        \"  --virtual-time        sleeps complete at once, in deadline order\\n\"\n"
        "        \"  --trace=FILE          write a Chrome/Perfetto trace of the run to FILE\\n\"\n"
        "        \"  --memory              print the graph's static memory and exit\\n\"\n");
    cw_printf(w,
        "        \"  --offload-threads=N   at most N offloaded calls at once (0 to %lld, the\\n\"\n"
        "        \"                        default)\\n\"\n", (long long)g->offload_threads);
    if (g->threads > 1)
        cw_printf(w,
            "        \"  --threads=N           run on N worker threads (1 to %lld, the default)\\n\"\n",
            (long long)g->threads);
    else
        cw_puts(w,
            "        \"  --threads=N           worker threads: 1 (the graph attribute threads\\n\"\n"
            "        \"                        allows more)\\n\"\n");
    cw_puts(w,
        "        \"  --placement           print the thread of each node for this run and exit\\n\"\n");
    cw_puts(w,
        "        \"  --help                this text\\n\\n\"\n"
        "        \"Other arguments (unknown options too), and all after --, go to the\\n\"\n"
        "        \"graph (agdf_argv).\\n\"\n"
        "        \"SIGINT/SIGTERM: the first drains the run, a second aborts it.\\n\\n\"\n"
        "        \"exit status: 0 no node raised, 1 some node raised, 2 usage error,\\n\"\n"
        "        \"3 halted by halt_on_exception, 4 stopped by SIGINT/SIGTERM\\n\", argv0);\n}\n\n");
    emit_c_main_signal(w);
    cw_puts(w,
        "/* Splits a comma-separated node list in place (a repeated name counts\n"
        "** once); 0, or -1 on an unknown node. */\n"
        "static int agdf_main_nodes(char *list, const char **names, int max)\n{\n"
        "    int n = 0, k;\n"
        "    char *p = list;\n"
        "    while (p && *p) {\n"
        "        char *comma = strchr(p, ',');\n"
        "        if (comma)\n            *comma = '\\0';\n"
        "        if (*p) {\n"
        "            if (agdf_node_index(&agdf_main_graph.agdf, p) < 0) {\n"
        "                fprintf(stderr, \"unknown node in --log-nodes: %s\\n\", p);\n"
        "                return -1;\n"
        "            }\n"
        "            for (k = 0; k < n && strcmp(names[k], p) != 0; k++)\n"
        "                ;\n"
        "            if (k == n && n < max)\n"
        "                names[n++] = p;\n"
        "        }\n"
        "        p = comma ? comma + 1 : NULL;\n"
        "    }\n"
        "    names[n] = NULL;\n"
        "    return 0;\n}\n\n");
    emit_c_main_memory(w, g, it);
    cw_mt(w, g, it->in_item, EMIT_MT_MAIN);
    cw_printf(w, "int main(int argc, char **argv)\n{\n    %s *g = &agdf_main_graph;\n", G);
    cw_printf(w, "    const unsigned long threads_max = %s_OFFLOAD_THREADS;\n", G);
    cw_printf(w, "    const long threads_limit = %s_THREADS;\n", G);
    cw_printf(w, "    static const char *nodes[%s_NNODES + 1];\n", G);
    cw_puts(w,
        "    int stats = 0, virt = 0, filtered = 0, i, nargs = 1, rest = 0;\n"
        "    double interval = 0;\n"
        "    const char *trace = NULL;\n"
        "    unsigned long threads = 0, nthreads = 0;\n"
        "    int set_threads = 0, placement = 0;\n"
        "    agdf_status st;\n");
    cw_printf(w, "    %s_init(g);\n", G);
    cw_puts(w,
        "    for (i = 1; i < argc; i++) {\n"
        "        const char *a = argv[i];\n"
        "        char *end;\n"
        "        if (rest || a[0] != '-' || a[1] == '\\0') {\n"
        "            argv[nargs++] = argv[i];   /* the graph's own arguments */\n"
        "        } else if (strcmp(a, \"--\") == 0) {\n            rest = 1;\n"
        "        } else if (strcmp(a, \"--stats\") == 0) {\n            stats = 1;\n"
        "        } else if (strcmp(a, \"--virtual-time\") == 0) {\n            virt = 1;\n"
        "        } else if (strncmp(a, \"--log-interval=\", 15) == 0) {\n"
        "            /* whole milliseconds, as agdf_set_data_flow_logging takes them */\n"
        "            interval = strtod(a + 15, &end) * 1000;\n"
        "            if (end == a + 15 || *end || !(interval >= 1 && interval <= 4294967295.0)) {\n"
        "                fprintf(stderr, \"%s: bad --log-interval: %s (expected seconds from 0.001 \"\n"
        "                        \"to 4294967.295)\\n\", argv[0], a + 15);\n"
        "                return 2;\n"
        "            }\n"
        "        } else if (strncmp(a, \"--trace=\", 8) == 0) {\n"
        "            trace = a + 8;\n"
        "            if (!*trace) {\n"
        "                fprintf(stderr, \"%s: bad --trace: no file name\\n\", argv[0]);\n"
        "                return 2;\n"
        "            }\n"
        "        } else if (strncmp(a, \"--offload-threads=\", 18) == 0) {\n"
        "            threads = strtoul(a + 18, &end, 10);\n"
        "            if (a[18] < '0' || a[18] > '9' || *end || threads > threads_max) {\n"
        "                fprintf(stderr, \"%s: bad --offload-threads: %s (expected an integer \"\n"
        "                        \"from 0 to %lu)\\n\", argv[0], a + 18, threads_max);\n"
        "                return 2;\n"
        "            }\n"
        "            set_threads = 1;\n"
        "        } else if (strncmp(a, \"--threads=\", 10) == 0) {\n"
        "            nthreads = strtoul(a + 10, &end, 10);\n"
        "            if (a[10] < '0' || a[10] > '9' || *end || nthreads < 1 ||\n"
        "                nthreads > (unsigned long)threads_limit) {\n"
        "                agdf_main_bad_threads(argv[0], a + 10);\n"
        "                return 2;\n"
        "            }\n"
        "        } else if (strcmp(a, \"--placement\") == 0) {\n"
        "            placement = 1;\n"
        "        } else if (strncmp(a, \"--log-nodes=\", 12) == 0) {\n"
        "            filtered = 1;\n");
    cw_printf(w, "            if (agdf_main_nodes(argv[i] + 12, nodes, %s_NNODES) != 0)\n"
                 "                return 2;\n", G);
    cw_puts(w,
        "        } else if (strcmp(a, \"--memory\") == 0) {\n"
        "            agdf_main_memory();\n            return 0;\n"
        "        } else if (strcmp(a, \"--help\") == 0 || strcmp(a, \"-h\") == 0) {\n"
        "            agdf_main_usage(stdout, argv[0]);\n            return 0;\n"
        "        } else if (strcmp(a, \"--log-interval\") == 0 || strcmp(a, \"--log-nodes\") == 0 ||\n"
        "                   strcmp(a, \"--trace\") == 0 || strcmp(a, \"--threads\") == 0) {\n"
        "            fprintf(stderr, \"%s: %s needs a value: %s=...\\n\", argv[0], a, a);\n"
        "            return 2;\n"
        "        } else {\n"
        "            argv[nargs++] = argv[i];   /* an option of the graph's */\n"
        "        }\n    }\n"
        "    if (agdf_main_threads(g, argv[0], nthreads) != 0)\n        return 2;\n"
        "    if (placement) {\n        agdf_main_placement(g);\n        return 0;\n    }\n"
        "    if (virt)\n        agdf_set_virtual_time(&g->agdf, 1);\n"
        "    if (set_threads)\n"
        "        (void)agdf_set_offload_threads(&g->agdf, (uint32_t)threads);  /* in range */\n"
        "    if (interval > 0 || filtered)\n"
        "        (void)agdf_set_data_flow_logging(&g->agdf, (uint32_t)(interval + 0.5),\n"
        "                                         filtered ? nodes : NULL, NULL);  /* checked */\n"
        "    if (trace && agdf_trace_open(&g->agdf, trace) != 0) {\n");
    if (g->threads > 1)     /* agdf_trace_open refuses a graph set to several threads */
        cw_puts(w,
            "        if (errno == ENOTSUP)\n"
            "            fprintf(stderr, \"%s: --trace traces a run on one thread: add --threads=1\\n\",\n"
            "                    argv[0]);\n"
            "        else\n"
            "            fprintf(stderr, \"%s: cannot write --trace file %s: %s\\n\", argv[0], trace,\n"
            "                    strerror(errno));\n");
    else
        cw_puts(w,
            "        fprintf(stderr, \"%s: cannot write --trace file %s: %s\\n\", argv[0], trace,\n"
            "                strerror(errno));\n");
    cw_puts(w,
        "        return 2;\n"
        "    }\n");
    cw_puts(w,
        "    argv[nargs] = NULL;\n"
        "    agdf_set_args(nargs, argv);\n"
        "    (void)agdf_wake_fd(&g->agdf);   /* a signal during a wait ends it */\n"
        "    {   /* sigaction: signal() may reset the handler after one signal */\n"
        "        struct sigaction sa;\n"
        "        memset(&sa, 0, sizeof sa);\n"
        "        sa.sa_handler = agdf_main_signal;\n"
        "        sigemptyset(&sa.sa_mask);\n"
        "        (void)sigaction(SIGINT, &sa, NULL);\n"
        "        (void)sigaction(SIGTERM, &sa, NULL);\n"
        "    }\n");
    cw_printf(w, "    /* Idle with open inputs and nothing to wait for: nothing can feed them. */\n"
                 "    while ((st = %s_run(g)) == AGDF_IDLE)\n"
                 "        agdf_close_inputs(&g->agdf);\n", G);
    cw_puts(w,
        "    (void)agdf_trace_close();   /* a failed write was logged */\n"
        "    fflush(stdout);\n"
        "    /* The final report, as the reference logs it: the --log-nodes filter\n"
        "    ** applies, and data-flow logging alone also ends with one. */\n"
        "    if (stats || interval > 0 || st == AGDF_STOPPED)\n        agdf_log_data_flow(&g->agdf);\n"
        "    return st == AGDF_OK ? 0 : st == AGDF_ERRORS ? 1 : st == AGDF_STOPPED ? 4 : 3;\n}\n");
}

void emit_c(const Graph *g, const EmitOpts *o, FILE *out) {
    CWriter w;
    ItemTable it;
    const char *hname = o->header_name ? o->header_name : "graph.h";
    char *cname = emit_c_name_of(hname);
    cw_open(&w, out, o, o->out_path ? o->out_path : cname);
    emit_items_build(&it, g);
    cw_banner(&w, g, o);
    /* Bodies are POSIX code (fds, pipes, clocks, threads), but a strict ISO
    ** mode (-std=c99) hides POSIX, and a %{ %} block comes after the first
    ** system header, too late to ask for it: ask here, unless someone did. */
    cw_puts(&w, "#if defined(__STRICT_ANSI__) && !defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE) \\\n"
                "    && !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE)\n"
                "#define _POSIX_C_SOURCE 200809L\n"
                "#endif\n");
    cw_printf(&w, "#include \"%s\"\n\n#include <stddef.h>\n", hname);
    if (o->with_main)
        cw_puts(&w, "#include <errno.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
                    "#include <string.h>\n");
    cw_puts(&w, "\n");
    emit_verbatims(&w, g, false);
    /* A body is an int function: body.c refuses every `return` in its text
    ** but `return AGDF_DONE;`; this also makes a bare `return;` hidden in a
    ** user's macro an error (it would hand garbage to the drain loop). */
    cw_puts(&w, "#if defined(__GNUC__) || defined(__clang__)\n"
                "#pragma GCC diagnostic push\n"
                "#pragma GCC diagnostic error \"-Wreturn-type\"\n"
                "#endif\n");
    /* A yield is the runtime's one put, AGDF__PUT_SET, with the body's
    ** agdf_io, the output type each body defines as AGDF__OUT_T and its
    ** AGDF__SET, which builds the item member by member in the slot. */
    cw_puts(&w, "#undef AGDF_YIELD_ITEM\n#undef AGDF_YIELD\n"
                "#define AGDF_YIELD_ITEM(item) AGDF__PUT(agdf_w, agdf_o, item, AGDF__OUT_T)\n"
                "#define AGDF_YIELD(...) AGDF__PUT_SET(agdf_w, agdf_o, AGDF__OUT_T, AGDF__SET(__VA_ARGS__))\n\n");
    /* Hand-off mode: the straight put runs a waiting consumer at once
    ** (runtime/agdf.h); a graph without the attribute gets no line. */
    if (g->handoff)
        cw_puts(&w, "#undef AGDF__HANDOFF\n#define AGDF__HANDOFF 1 /* graph attribute handoff = true */\n\n");
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        emit_c_body(&w, g, &it, GRAPH_NODE(g, i));
        emit_c_close(&w, g, &it, GRAPH_NODE(g, i));
    }
    if (g->handoff)
        cw_puts(&w, "#undef AGDF__HANDOFF\n#define AGDF__HANDOFF 0\n");
    cw_puts(&w, "#undef AGDF_YIELD_ITEM\n#undef AGDF_YIELD\n"
                "#define AGDF_YIELD_ITEM(item) AGDF__PUT_ANY(item)\n"
                "#define AGDF_YIELD(...) AGDF__PUT_ANY(AGDF_OUT_MAKE(__VA_ARGS__))\n");
    cw_puts(&w, "#if defined(__GNUC__) || defined(__clang__)\n"
                "#pragma GCC diagnostic pop\n"
                "#endif\n\n");
    emit_c_tables(&w, g, &it);
    emit_c_init(&w, g, &it);
    emit_c_starts(&w, g);
    emit_c_api(&w, g);
    if (o->with_main)
        emit_c_main(&w, g, &it);
    emit_items_free(&it);
    free(cname);
}
