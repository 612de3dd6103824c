/*
** check.c — the semantic checks of agdfc, and the derived fields of the
** Graph that the back end relies on (attribute values with their defaults,
** successor lists, start nodes, a topological order).
**
** Every check reports into the DiagCtx and goes on, so that one run lists
** every mistake.  When the parser already reported errors the Graph may be
** missing statements, so only the checks local to one declaration run
** (names, parameters, attributes, bodies); the graph-wide ones (edges,
** types, cycles, starts, reachability) would mostly report the parser's
** errors a second time.  Every algorithm is linear and iterative: a graph's
** depth never becomes the C stack's depth.
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "agdf.h"
#include "agdfc.h"

/* Lower bounds of the runtime's records on any target (ILP32 included), for
** the storage check: struct agdf_task is two pointers, four 32-bit words and
** a 16-byte union; an error record (of the graph's one pool) is a pointer, three
** 32-bit words and a 44-byte message. */
#define CHECK_TASK_MIN_BYTES  40LL
#define CHECK_ERROR_MIN_BYTES 60LL
/* ... and of the records each extra thread has per node (threads > 1): a
** struct agdf_node (14 pointers, 16 32-bit words, 4 64-bit counters) and an
** agdf_node_def (12 pointers or 32-bit words). */
#define CHECK_NODE_MIN_BYTES    100LL
#define CHECK_NODEDEF_MIN_BYTES 48LL
#define CHECK_OFFLOAD_THREADS_MAX AGDF_OFFLOAD_THREADS_MAX   /* the runtime's bound */
#define QUEUE_WARN_BYTES (64LL * 1024 * 1024)
#define QUEUE_WARN_ITEMS 10000000LL
#define TASKS_WARN       1000000LL

typedef struct Checker {
    Graph *g;
    DiagCtx *dc;
    Arena *a;
    StrMap names;            /* node name -> id of its first declaration */
    bool *redefined;         /* node i repeats an earlier name: not in the graph */
    int *succ_edge;          /* edge index of Node.succ[k] is succ_edge[succ_base[u] + k] */
    int *succ_base;          /* per node: where its entries start in succ_edge */
    bool *has_in_edge;       /* some edge names the node as destination */
    int64_t ntasks;          /* tasks of the nodes checked so far */
    int64_t min_bytes;       /* lower bound of their static storage */
    bool over_limit;         /* a graph-wide limit was reported (once) */
    bool threads_bad;        /* the graph's threads attribute was refused */
} Checker;

/* ---------------------------------------------------------------- names */

static void check_graph_name(Checker *c) {
    Graph *g = c->g;
    const char *n = g->name;
    if (!g->declared) {
        if (!names_is_ident(n) || names_reserved_why(n) || n[0] == '_') {
            SrcPos none = { 0, 0 };
            diag_error(c->dc, none,
                       "graph name '%s' (from the file name) is not usable as a C identifier; "
                       "name the graph with a 'graph NAME;' statement", n);
        }
        return;
    }
    const char *why;
    if (strcmp(n, "main") == 0)
        diag_error(c->dc, g->pos, "graph name 'main' would collide with main()");
    else if ((why = names_reserved_why(n)) != NULL)
        diag_error(c->dc, g->pos, "graph name '%s' is %s", n, why);
    else if (n[0] == '_')
        diag_error(c->dc, g->pos, "graph name '%s' starts with '_' (reserved)", n);
}

/* The back end names everything of node N in graph G "G_N..." or "G__N...":
** the function G_N, G_N_task, G_N_OUT, G_start_N, G_NODE_N, G__N_body, and
** graph-wide G_init, G_run, G_step, G_graph, G_NNODES, G_NTASKS, G_THREADS,
** G_OFFLOAD_THREADS.  A node
** name must not make one of those spell another. */
static const char *check_generated_clash(Checker *c, const char *n) {
    static const char *const api[] = { "init", "run", "step", "graph", "NNODES", "NTASKS",
                                       "THREADS", "OFFLOAD_THREADS", "room", "close_inputs",
                                       "set_room_hook", "stop" };
    for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
        if (strcmp(n, api[i]) == 0) return api[i];
    static const char *const pre[] = { "start_", "NODE_", "push_", "close_", "post_" };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (names_has_prefix(n, pre[i]) && strmap_get(&c->names, n + strlen(pre[i])) >= 0)
            return pre[i];
    static const char *const suf[] = { "_task", "_OUT" };
    size_t len = strlen(n);
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(suf[i]);
        if (len > k && strcmp(n + len - k, suf[i]) == 0) {
            char *base = arena_strndup(c->a, n, len - k);
            if (strmap_get(&c->names, base) >= 0) return suf[i];
        }
    }
    return NULL;
}

static void check_node_name(Checker *c, const Node *n) {
    const char *s = n->name, *G = c->g->name;
    const char *clash, *why;
    if ((why = names_reserved_why(s)) != NULL)
        diag_error(c->dc, n->pos, "node name '%s' is %s", s, why);
    else if (names_is_agdf_keyword(s))
        diag_error(c->dc, n->pos, "node name '%s' is an agdf keyword: an edge chain "
                   "could not start with it", s);
    else if (s[0] == '_')
        diag_error(c->dc, n->pos, "node name '%s' starts with '_': the generated code "
                   "reserves '%s__*' names", s, G);
    else if (strcmp(s, G) == 0)
        diag_error(c->dc, n->pos, "node name '%s' is the graph's name", s);
    else if ((clash = check_generated_clash(c, s)) != NULL)
        diag_error(c->dc, n->pos, "node name '%s' collides with a generated name: "
                   "'%s_%s' is already used by the generated code", s, G, s);
}

static void check_params(Checker *c, const Node *n) {
    for (int i = 0; i < n->nparams; i++) {
        const Param *p = &n->params[i];
        const char *why;
        if (strcmp(p->name, "self") == 0)
            diag_error(c->dc, p->pos, "parameter name 'self' is reserved: in a body, "
                       "'self' points to the task's state");
        else if ((why = names_reserved_why(p->name)) != NULL)
            diag_error(c->dc, p->pos, "parameter name '%s' is %s", p->name, why);
        for (int k = 0; k < i; k++)
            if (strcmp(n->params[k].name, p->name) == 0) {
                diag_error(c->dc, p->pos, "duplicate parameter '%s' in node '%s'",
                           p->name, n->name);
                diag_note(c->dc, n->params[k].pos, "'%s' first declared here", p->name);
                break;
            }
    }
}

/* ---------------------------------------------------------------- attributes */

typedef struct AttrSpec {
    const char *name;
    AttrKind kind;           /* ATTR_INT or ATTR_BOOL */
    int64_t min, max;        /* for ATTR_INT */
    const char *why_max;     /* what a value above max is told; NULL: the storage */
} AttrSpec;

static const AttrSpec node_attrs[] = {
    { "max_tasks", ATTR_INT, 1, AGDFC_TASKS_MAX, NULL },
    { "queue_size", ATTR_INT, 1, AGDFC_QUEUE_MAX, NULL },
    { "halt_on_exception", ATTR_BOOL, 0, 1, NULL },
    { "input", ATTR_BOOL, 0, 1, NULL },
    { "thread", ATTR_INT, 0, AGDF_THREADS_MAX - 1,
      " (threads are numbered from 0 to the graph's threads - 1, and a graph has at most "
      "64; see docs/language.md, \"Limits\")" },
    { "weight", ATTR_INT, 1, AGDF_WEIGHT_MAX,
      " (a weight is a relative cost; see docs/language.md, \"Limits\")" },
    { "spread", ATTR_BOOL, 0, 1, NULL },
};
static const AttrSpec graph_attrs[] = {
    { "halt_on_exception", ATTR_BOOL, 0, 1, NULL },
    { "max_exceptions", ATTR_INT, 1, AGDFC_EXCEPTIONS_MAX, NULL },
    { "offload_threads", ATTR_INT, 0, CHECK_OFFLOAD_THREADS_MAX,
      " (the most threads an offload pool may have; see docs/language.md, \"Limits\")" },
    { "threads", ATTR_INT, 1, AGDF_THREADS_MAX,
      " (the most worker threads of one graph; see docs/language.md, \"Limits\")" },
    { "handoff", ATTR_BOOL, 0, 1, NULL },
};

static const char *check_attr_value_text(const Attr *a) {
    return a->sval ? a->sval : "?";
}

/* Checks one attribute list against specs; stores each valid value in
** vals[spec index] and sets given[spec index].  `what` names the owner for
** messages ("node 'load'", "graph"). */
static void check_attrs(Checker *c, const Attr *attrs, int nattrs, const AttrSpec *specs,
                        int nspecs, const char *what, int64_t *vals, const Attr **given) {
    for (int i = 0; i < nattrs; i++) {
        const Attr *a = &attrs[i];
        int s = 0;
        while (s < nspecs && strcmp(specs[s].name, a->name) != 0) s++;
        if (s == nspecs) {
            char known[160] = "";
            for (int k = 0; k < nspecs; k++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                         k == 0 ? "" : k == nspecs - 1 ? " or " : ", ", specs[k].name);
            diag_error(c->dc, a->pos, "unknown attribute '%s' for %s (expected %s)",
                       a->name, what, known);
            continue;
        }
        if (given[s]) {
            diag_error(c->dc, a->pos, "attribute '%s' given twice", a->name);
            diag_note(c->dc, given[s]->pos, "first given here");
            continue;
        }
        given[s] = a;
        const AttrSpec *sp = &specs[s];
        if (sp->kind == ATTR_BOOL && a->kind != ATTR_BOOL) {
            diag_error(c->dc, a->vpos, "attribute '%s' takes true or false, not '%s'",
                       a->name, check_attr_value_text(a));
        } else if (sp->kind == ATTR_INT && a->kind != ATTR_INT) {
            diag_error(c->dc, a->vpos, "attribute '%s' takes an integer, not '%s'",
                       a->name, check_attr_value_text(a));
        } else if (sp->kind == ATTR_INT && a->ival == LEX_BAD_INT) {
            /* already reported by the lexer */
        } else if (sp->kind == ATTR_INT && (a->ival < sp->min || a->ival > sp->max)) {
            diag_error(c->dc, a->vpos, "%s must be between %lld and %lld, not %s%s",
                       a->name, (long long)sp->min, (long long)sp->max,
                       check_attr_value_text(a), a->ival <= sp->max ? "" : sp->why_max
                       ? sp->why_max : " (the limit keeps the graph's static storage linkable; "
                         "see docs/language.md, \"Limits\")");
        } else {
            vals[s] = a->ival;
        }
    }
}

static void check_graph_attrs(Checker *c) {
    Graph *g = c->g;
    int64_t vals[5] = { 0, 1000, -1, 1, 0 };
    const Attr *given[5] = { NULL, NULL, NULL, NULL, NULL };
    check_attrs(c, g->attrs, g->nattrs, graph_attrs, 5, "graph", vals, given);
    g->halt_on_exception = vals[0] != 0;
    g->max_exceptions = vals[1];
    g->offload_threads = given[2] ? vals[2] : -1;
    g->threads = vals[3];
    g->threads_attr = given[3];
    g->handoff = vals[4] != 0;
    c->threads_bad = given[3] && (given[3]->kind != ATTR_INT || given[3]->ival != vals[3]);
}

/* A node may offload when its body names AGDF_OFFLOAD, when a %{ %} block
** does (a macro of it may), or when it has no body (a C file implements it). */
static bool check_may_offload(const Graph *g, const Node *n) {
    if (!n->body) return true;
    if (strstr(n->body, "AGDF_OFFLOAD")) return true;
    for (size_t i = 0; i < g->verbatims.len; i++) {
        if (strstr(VEC_AT(g->verbatims, Verbatim, i).text, "AGDF_OFFLOAD")) return true;
    }
    return false;
}

/* The offload pool's size unless the graph sets offload_threads: one thread
** per task that may offload, so they all block at once, up to the most the
** runtime allows (said in a warning: the pool is never cut down silently). */
static void check_offload_threads(Checker *c) {
    Graph *g = c->g;
    int64_t total = 0;
    if (g->offload_threads >= 0) return;
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *n = GRAPH_NODE(g, i);
        if (check_may_offload(g, n)) total += n->max_tasks;
    }
    if (total > CHECK_OFFLOAD_THREADS_MAX) {
        diag_warning(c->dc, g->declared ? g->pos : GRAPH_NODE(g, 0)->pos, "%lld tasks may use AGDF_OFFLOAD (nodes without a body "
                     "count too): the offload pool gets the most threads it may have, %d; set "
                     "the graph attribute offload_threads to choose", (long long)total,
                     CHECK_OFFLOAD_THREADS_MAX);
        total = CHECK_OFFLOAD_THREADS_MAX;
    }
    g->offload_threads = total;
}

/* A rough size of one queued item, for the storage warning only: the
** compiler does not know typedefs, so unknown types count as 16 bytes. */
static int64_t check_guess_size(const Node *n) {
    int64_t total = 0;
    for (int i = 0; i < n->nparams; i++) {
        const char *t = n->params[i].type.text;
        if (strchr(t, '*')) total += 8;
        else if (strstr(t, "char")) total += 1;
        else if (strstr(t, "short")) total += 2;
        else if (strstr(t, "long") || strstr(t, "double") || strstr(t, "64")) total += 8;
        else if (strstr(t, "int") || strstr(t, "float") || strstr(t, "32")) total += 4;
        else total += 16;
    }
    return total > 0 ? total : 1;
}

/* The smallest size a C type can have on the targets agdf supports (ILP32
** and LP64), from its words as written: 4 for a pointer, the standard sizes
** for the arithmetic types (the smallest of its words: `unsigned char` is
** 1), 1 for a struct, union, enum or typedef agdfc does not know.  A lower
** bound, so that a refusal is never wrong. */
static int64_t check_type_min_size(const char *t) {
    if (strchr(t, '*')) return 4;
    static const struct { const char *word; int64_t size; } known[] = {
        {"char", 1}, {"_Bool", 1}, {"bool", 1}, {"int8_t", 1}, {"uint8_t", 1},
        {"short", 2}, {"int16_t", 2}, {"uint16_t", 2}, {"double", 8}, {"int64_t", 8},
        {"uint64_t", 8}, {"int", 4}, {"long", 4}, {"float", 4}, {"unsigned", 4},
        {"signed", 4}, {"int32_t", 4}, {"uint32_t", 4}, {"size_t", 4},
    };
    int longs = 0;
    int64_t size = 0;
    for (const char *w = t; *w;) {
        size_t n = strcspn(w, " ");
        if (n == 6 && memcmp(w, "struct", 6) == 0) return 1;
        if ((n == 5 && memcmp(w, "union", 5) == 0) || (n == 4 && memcmp(w, "enum", 4) == 0))
            return 1;
        longs += n == 4 && memcmp(w, "long", 4) == 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strlen(known[k].word) == n && memcmp(known[k].word, w, n) == 0
                && (size == 0 || known[k].size < size))
                size = known[k].size;                 /* unsigned char: 1 */
        w += n;
        w += *w == ' ';
    }
    if (longs >= 2) return 8;                          /* long long */
    return size > 0 ? size : 1;
}

/* A lower bound of one queued item's size: the sum of its parameters'. */
static int64_t check_min_size(const Node *n) {
    int64_t total = 0;
    for (int i = 0; i < n->nparams; i++) total += check_type_min_size(n->params[i].type.text);
    return total;
}

static long long check_mib(int64_t bytes) {
    return (long long)((bytes + (1 << 20) - 1) >> 20);
}

/* Adds node n's tasks and storage to the graph's totals and reports, once,
** the node (at its attribute) that takes the graph past a limit. */
static void check_node_storage(Checker *c, const Node *n, const Attr *qattr,
                               const Attr *tattr) {
    int64_t item = check_min_size(n);
    int64_t bytes = n->queue_size * item + n->max_tasks * CHECK_TASK_MIN_BYTES;
    if (c->over_limit) return;
    c->ntasks += n->max_tasks;
    c->min_bytes += bytes;
    if (c->ntasks > AGDFC_NTASKS_MAX) {
        c->over_limit = true;
        diag_error(c->dc, tattr ? tattr->vpos : n->pos, "node '%s' takes the graph to %lld "
                   "tasks, over the limit of %lld tasks in a graph (docs/language.md, "
                   "\"Limits\")", n->name, (long long)c->ntasks, AGDFC_NTASKS_MAX);
    } else if (c->min_bytes > AGDFC_GRAPH_BYTES) {
        c->over_limit = true;
        diag_error(c->dc, qattr ? qattr->vpos : n->pos, "the graph's static storage is at "
                   "least %lld MiB with node '%s' (which needs at least %lld MiB: "
                   "queue_size = %lld, at least %lld bytes per item), over the limit of "
                   "%lld MiB (docs/language.md, \"Limits\")", check_mib(c->min_bytes),
                   n->name, check_mib(bytes), (long long)n->queue_size, (long long)item,
                   check_mib(AGDFC_GRAPH_BYTES));
    }
}

/* "threads = 2, set at line 1" or "threads = 1, the default (no threads
** attribute)": which threads value applies to a node's placement, and where
** it comes from. */
static const char *check_threads_text(Checker *c) {
    const Attr *t = c->g->threads_attr;
    if (!t)
        return "threads = 1, the default (no threads attribute)";
    return arena_printf(c->a, "threads = %lld, set at line %u", (long long)c->g->threads,
                        (unsigned)t->pos.line);
}

/* The note under a placement error that shows where threads was set. */
static void check_threads_note(Checker *c) {
    if (c->g->threads_attr)
        diag_note(c->dc, c->g->threads_attr->pos, "the graph's threads attribute");
}

/* The attributes of issue 13's placement (docs/language.md §5): thread below
** the graph's threads, spread only with several tasks and no thread; and what
** this version cannot run on several threads: inputs and on_close blocks. */
static void check_node_place(Checker *c, Node *n, const Attr *tattr, const Attr *sattr,
                             const Attr *mattr) {
    Graph *g = c->g;
    if (tattr && n->thread >= g->threads && !c->threads_bad) {
        diag_error(c->dc, tattr->vpos, "node '%s' is placed on thread %lld, but the graph "
                   "has %s: its threads are numbered 0 to %lld%s", n->name,
                   (long long)n->thread, check_threads_text(c), (long long)g->threads - 1,
                   g->threads_attr ? "" : "; give the graph statement the attribute "
                   "threads = N to use N threads");
        check_threads_note(c);
    }
    if (sattr && n->spread && n->max_tasks == 1
        && (!mattr || (mattr->kind == ATTR_INT && mattr->ival == 1)))
        diag_error(c->dc, sattr->vpos, "node '%s' has spread = true but max_tasks = 1%s: "
                   "spread splits a node's tasks over the threads, so it needs max_tasks = 2 "
                   "or more", n->name, mattr ? "" : " (the default)");
    if (sattr && n->spread && tattr && n->thread >= 0) {
        diag_error(c->dc, sattr->vpos, "node '%s' has both spread = true and thread = %lld: "
                   "a spread node's tasks run on several threads, a placed node on one; "
                   "give one of the two", n->name, (long long)n->thread);
        diag_note(c->dc, tattr->pos, "thread given here");
    }
    if (g->threads <= 1)
        return;
    if (n->input) {
        diag_error(c->dc, n->pos, "input node '%s' is not supported on several threads "
                   "(the graph has %s): run the graph on one thread, or feed it from a "
                   "node instead", n->name, check_threads_text(c));
        check_threads_note(c);
    }
    if (n->on_close) {
        diag_error(c->dc, n->pos, "node '%s' has an on_close block, which is not supported "
                   "on several threads (the graph has %s): run the graph on one thread",
                   n->name, check_threads_text(c));
        check_threads_note(c);
    }
}

static void check_node_attrs(Checker *c, Node *n) {
    int64_t vals[7] = { 1, 10000, -1, 0, -1, 1, 0 };
    const Attr *given[7] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    const char *what = arena_printf(c->a, "node '%s'", n->name);
    check_attrs(c, n->attrs, n->nattrs, node_attrs, 7, what, vals, given);
    n->max_tasks = vals[0];
    n->queue_size = vals[1];
    n->halt_on_exception = given[2] && vals[2] >= 0 ? (int)vals[2] : -1;
    n->input = vals[3] != 0;
    n->thread = vals[4];
    n->weight = vals[5];
    n->spread = vals[6] != 0;
    check_node_place(c, n, given[4], given[6], given[0]);
    if (n->input && strcmp(n->name, "inputs") == 0)
        diag_error(c->dc, n->pos, "input node 'inputs' collides with a generated name: "
                   "'%s_close_inputs' closes every input", c->g->name);

    int64_t item = check_guess_size(n);
    SrcPos qpos = given[1] ? given[1]->vpos : n->pos;
    if (n->queue_size > QUEUE_WARN_ITEMS || n->queue_size * item > QUEUE_WARN_BYTES)
        diag_warning(c->dc, qpos, "the queue of node '%s' needs about %lld MiB of static "
                     "storage (queue_size = %lld, about %lld bytes per item)", n->name,
                     (long long)((n->queue_size * item + (1 << 20) - 1) >> 20),
                     (long long)n->queue_size, (long long)item);
    if (n->max_tasks > TASKS_WARN)
        diag_warning(c->dc, given[0] ? given[0]->vpos : n->pos, "node '%s' has %lld tasks, "
                     "each with static storage", n->name, (long long)n->max_tasks);
    const Attr *q = given[1];
    int64_t least = check_min_size(n);
    if (q && q->kind == ATTR_INT && q->ival > AGDFC_QUEUE_MAX && q->ival != LEX_BAD_INT
        && least > 0)
        diag_note(c->dc, q->vpos, "a queue of %lld items (at least %lld bytes each) would "
                  "need at least %.0f MiB of static storage", (long long)q->ival,
                  (long long)least, (double)q->ival * (double)least / 1048576.0);
    check_node_storage(c, n, given[1], given[0]);
}

/* ---------------------------------------------------------------- nodes */

static void check_nodes(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    strmap_init(&c->names, (size_t)nn);
    c->redefined = arena_alloc(c->a, (size_t)nn + 1);
    for (int i = 0; i < nn; i++) {
        Node *n = GRAPH_NODE(g, i);
        if (!strmap_put(&c->names, n->name, i)) {
            const Node *first = GRAPH_NODE(g, strmap_get(&c->names, n->name));
            diag_error(c->dc, n->pos, "redefinition of node '%s'", n->name);
            diag_note(c->dc, first->pos, "'%s' first defined here", n->name);
            c->redefined[i] = true;
        }
    }
    BodyTypes types;
    body_types_init(&types, g, c->a);
    for (int i = 0; i < nn; i++) {
        Node *n = GRAPH_NODE(g, i);
        if (!c->redefined[i]) check_node_name(c, n);
        check_params(c, n);
        check_node_attrs(c, n);
        body_check(n, &types, c->dc);
    }
    body_types_free(&types);
}

/* ---------------------------------------------------------------- edges */

/* "int", "(int, double)" or "no value": how messages show a type list. */
static const char *check_types_text(Checker *c, const char *const *t, int n) {
    if (n == 0) return "no value";
    if (n == 1) return arena_printf(c->a, "'%s'", t[0]);
    const char *s = arena_printf(c->a, "'(%s", t[0]);
    for (int i = 1; i < n; i++) s = arena_printf(c->a, "%s, %s", s, t[i]);
    return arena_printf(c->a, "%s)'", s);
}

/* A destination without parameters takes anything; otherwise the source's
** output types must equal the destination's parameter types. */
static void check_edge_types(Checker *c, const Edge *e, const Node *src, const Node *dst) {
    if (dst->nparams == 0) return;
    bool same = src->nouts == dst->nparams;
    for (int i = 0; same && i < src->nouts; i++)
        same = strcmp(src->outs[i].text, dst->params[i].type.text) == 0;
    if (same) return;
    const char **so = arena_alloc(c->a, sizeof(char *) * (size_t)(src->nouts + 1));
    const char **dp = arena_alloc(c->a, sizeof(char *) * (size_t)(dst->nparams + 1));
    for (int i = 0; i < src->nouts; i++) so[i] = src->outs[i].text;
    for (int i = 0; i < dst->nparams; i++) dp[i] = dst->params[i].type.text;
    diag_error(c->dc, e->to_pos, "type mismatch on edge '%s -> %s': '%s' yields %s but "
               "'%s' takes %s", src->name, dst->name, src->name,
               check_types_text(c, so, src->nouts), dst->name,
               check_types_text(c, dp, dst->nparams));
}

static int check_resolve(Checker *c, const char *name, SrcPos pos, const char *where) {
    int id = strmap_get(&c->names, name);
    if (id < 0) diag_error(c->dc, pos, "unknown node '%s' in %s", name, where);
    return id;
}

/* Resolves names, reports self-edges and repeated edges, and builds each
** node's successor list (distinct, in edge order) with a bucket sort of the
** edges by source, so the whole pass is O(nodes + edges). */
static void check_edges(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    size_t ne = g->edges.len;
    int *count = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    c->has_in_edge = arena_alloc(c->a, (size_t)nn + 1);
    for (size_t i = 0; i < ne; i++) {
        Edge *e = GRAPH_EDGE(g, i);
        e->from_id = check_resolve(c, e->from, e->from_pos, "edge");
        e->to_id = check_resolve(c, e->to, e->to_pos, "edge");
        if (e->from_id >= 0 && e->from_id == e->to_id) {
            diag_error(c->dc, e->to_pos, "edge from node '%s' to itself", e->from);
            e->from_id = e->to_id = -1;               /* leave it out of the graph */
        }
        if (e->to_id >= 0 && GRAPH_NODE(g, e->to_id)->input) {
            diag_error(c->dc, e->to_pos, "edge into input node '%s': an input is fed by the "
                       "host (%s_push_%s) and start statements, not by edges", e->to,
                       g->name, e->to);
            e->from_id = -1;                          /* leave it out of the graph */
        }
        if (e->from_id >= 0 && e->to_id >= 0) count[e->from_id]++;
        if (e->to_id >= 0) c->has_in_edge[e->to_id] = true;
    }
    int *start = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    for (int u = 0; u < nn; u++) start[u + 1] = start[u] + count[u];
    int *order = arena_alloc(c->a, sizeof(int) * (ne + 1));
    int *fill = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    for (size_t i = 0; i < ne; i++) {
        const Edge *e = GRAPH_EDGE(g, i);
        if (e->from_id >= 0 && e->to_id >= 0)
            order[start[e->from_id] + fill[e->from_id]++] = (int)i;
    }
    int *seen = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));   /* source id + 1 */
    int *seen_edge = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    c->succ_edge = arena_alloc(c->a, sizeof(int) * (ne + 1));
    for (int u = 0; u < nn; u++) {
        Node *n = GRAPH_NODE(g, u);
        n->succ = arena_alloc(c->a, sizeof(int) * (size_t)(count[u] + 1));
        for (int k = start[u]; k < start[u + 1]; k++) {
            Edge *e = GRAPH_EDGE(g, order[k]);
            int v = e->to_id;
            if (seen[v] == u + 1) {
                const Edge *first = GRAPH_EDGE(g, seen_edge[v]);
                e->duplicate = true;
                diag_warning(c->dc, e->from_pos, "duplicate edge '%s -> %s'", e->from, e->to);
                diag_note(c->dc, first->from_pos, "first declared here");
                continue;
            }
            seen[v] = u + 1;
            seen_edge[v] = order[k];
            c->succ_edge[start[u] + n->nsucc] = order[k];
            n->succ[n->nsucc++] = v;
            GRAPH_NODE(g, v)->npred++;
            check_edge_types(c, e, n, GRAPH_NODE(g, v));
        }
    }
    c->succ_base = start;
}

/* The storage threads = T > 1 adds (docs/language.md, "Limits"), as a lower
** bound like check_node_storage's: a ring of the destination's queue_size
** items per edge and producer thread (T for a spread source), a replica
** queue and a balancing ring per extra thread of a spread node, and each
** extra thread's timer and fd slots (a pointer and 8 bytes per task) and node
** records and node table.
** Reported once, at the threads attribute, when it takes the graph over. */
static void check_threads_storage(Checker *c) {
    Graph *g = c->g;
    int64_t t = g->threads, bytes = 0;
    if (t <= 1 || c->over_limit) return;
    for (int u = 0; u < GRAPH_NNODES(g) && bytes <= AGDFC_GRAPH_BYTES; u++) {
        const Node *n = GRAPH_NODE(g, u);
        int64_t producers = n->spread ? t : 1;
        for (int k = 0; k < n->nsucc; k++) {
            const Node *d = GRAPH_NODE(g, n->succ[k]);
            bytes += producers * d->queue_size * check_min_size(d);
        }
        if (n->spread) bytes += 2 * (t - 1) * n->queue_size * check_min_size(n);
    }
    bytes += (t - 1) * (c->ntasks + 1) * 12
             + (t - 1) * GRAPH_NNODES(g) * (CHECK_NODE_MIN_BYTES + CHECK_NODEDEF_MIN_BYTES);
    if (c->min_bytes + bytes <= AGDFC_GRAPH_BYTES) return;
    c->over_limit = true;
    diag_error(c->dc, g->threads_attr->vpos, "with threads = %lld the graph's static storage "
               "is at least %lld MiB (of which %lld MiB for the threads: the rings of the "
               "edges, the spread nodes' replica queues and each thread's node records, "
               "timer and fd slots), over the limit of %lld MiB (docs/language.md, \"Limits\")",
               (long long)t, check_mib(c->min_bytes + bytes), check_mib(bytes),
               check_mib(AGDFC_GRAPH_BYTES));
}

/* ---------------------------------------------------------------- cycles */

static int check_edge_of(const Checker *c, int u, int v) {
    const Node *n = GRAPH_NODE(c->g, u);
    for (int k = 0; k < n->nsucc; k++)
        if (n->succ[k] == v) return c->succ_edge[c->succ_base[u] + k];
    return -1;
}

/* Reports the cycle cyc[0] -> cyc[1] -> ... -> cyc[k-1] -> cyc[0], rotated
** so that it ends with the edge declared last: the one that closed it. */
static void check_report_cycle(Checker *c, const int *cyc, int k) {
    int close = 0;
    SrcPos best = { 0, 0 };
    const Edge *closing = NULL;
    for (int i = 0; i < k; i++) {
        int ei = check_edge_of(c, cyc[i], cyc[(i + 1) % k]);
        const Edge *e = GRAPH_EDGE(c->g, ei);
        if (!closing || pos_cmp(best, e->from_pos) < 0) {
            closing = e;
            best = e->from_pos;
            close = (i + 1) % k;
        }
    }
    size_t len = 32;
    for (int i = 0; i < k; i++) len += strlen(GRAPH_NODE(c->g, cyc[i])->name) + 4;
    char *path = arena_alloc(c->a, len), *o = path;
    for (int i = 0; i <= k; i++) {
        const char *name = GRAPH_NODE(c->g, cyc[(close + i) % k])->name;
        o += sprintf(o, "%s%s", i ? " -> " : "", name);
    }
    diag_error(c->dc, closing->to_pos, "cycle in graph: %s", path);
}

/* Walks predecessors back from pending node s until one repeats: every
** pending node has a pending predecessor, so this finds a cycle. */
static int check_find_cycle(Checker *c, int s, const int *pbase, const int *preds,
                            const unsigned char *state, int *stamp, int walk, int *path,
                            int *cyc) {
    int len = 0, v = s;
    while (stamp[v] != walk) {
        stamp[v] = walk;
        path[len++] = v;
        int next = -1;
        for (int k = pbase[v]; k < pbase[v + 1] && next < 0; k++)
            if (state[preds[k]] == 0) next = preds[k];
        v = next;
    }
    int from = 0;
    while (path[from] != v) from++;
    int k = 0;                                 /* forward order: v, path[len-1], ... */
    cyc[k++] = v;
    for (int i = len - 1; i > from; i--) cyc[k++] = path[i];
    (void)c;
    return k;
}

/* Kahn's algorithm gives the topological order; when it stalls, the nodes
** left all lie on or behind cycles: one cycle is reported, its nodes are
** taken out, and the algorithm goes on, so each separate cycle is reported
** once. */
static void check_cycles(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    int *indeg = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    int *queue = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    unsigned char *state = arena_alloc(c->a, (size_t)nn + 1);   /* 0 pending, 1 done */
    g->topo = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    int head = 0, tail = 0, nt = 0, scan = 0;
    int *pbase = NULL, *preds = NULL, *stamp = NULL, *path = NULL, *cyc = NULL, walk = 0;
    for (int i = 0; i < nn; i++) {
        indeg[i] = GRAPH_NODE(g, i)->npred;
        if (c->redefined[i]) { state[i] = 1; g->topo[nt++] = i; }
        else if (indeg[i] == 0) { state[i] = 1; queue[tail++] = i; }
    }
    for (;;) {
        while (head < tail) {
            int u = queue[head++];
            g->topo[nt++] = u;
            const Node *n = GRAPH_NODE(g, u);
            for (int k = 0; k < n->nsucc; k++)
                if (--indeg[n->succ[k]] == 0 && state[n->succ[k]] == 0) {
                    state[n->succ[k]] = 1;
                    queue[tail++] = n->succ[k];
                }
        }
        while (scan < nn && state[scan] != 0) scan++;
        if (scan == nn) break;
        if (!pbase) {                                   /* predecessor lists, once */
            pbase = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 2));
            for (int u = 0; u < nn; u++) pbase[u + 1] = pbase[u] + GRAPH_NODE(g, u)->npred;
            int *fill = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
            preds = arena_alloc(c->a, sizeof(int) * (size_t)(pbase[nn] + 1));
            for (int u = 0; u < nn; u++) {
                const Node *n = GRAPH_NODE(g, u);
                for (int k = 0; k < n->nsucc; k++)
                    preds[pbase[n->succ[k]] + fill[n->succ[k]]++] = u;
            }
            stamp = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
            path = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
            cyc = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
        }
        int k = check_find_cycle(c, scan, pbase, preds, state, stamp, ++walk, path, cyc);
        check_report_cycle(c, cyc, k);
        for (int i = 0; i < k; i++) {                  /* take the cycle out */
            state[cyc[i]] = 1;
            queue[tail++] = cyc[i];
        }
    }
}

/* ---------------------------------------------------------------- starts */

static void check_start_items(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    int64_t *count = arena_alloc(c->a, sizeof(int64_t) * (size_t)(nn + 1));
    for (size_t i = 0; i < g->starts.len; i++) {
        StartItem *si = GRAPH_START(g, i);
        si->node_id = check_resolve(c, si->name, si->pos, "start statement");
        if (si->node_id < 0) continue;
        Node *n = GRAPH_NODE(g, si->node_id);
        n->is_start = true;
        if (si->nargs != n->nparams)
            diag_error(c->dc, si->pos, "wrong number of arguments to start '%s': "
                       "it takes %d, %d given", n->name, n->nparams, si->nargs);
        if (++count[si->node_id] == n->queue_size + 1)
            diag_error(c->dc, si->pos, "too many start items for node '%s': more than "
                       "its queue_size (%lld)", n->name, (long long)n->queue_size);
    }
}

/* Without start statements, every node without an incoming edge starts,
** once, with no arguments.  An edge from an unknown node still counts as
** incoming: its error is reported already. */
static void check_default_starts(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    g->start_nodes = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    for (int i = 0; i < nn; i++) {
        Node *n = GRAPH_NODE(g, i);
        if (c->redefined[i] || n->npred > 0 || c->has_in_edge[i] || n->input) continue;
        g->start_nodes[g->nstart_nodes++] = i;
        n->is_start = true;
        if (n->nparams > 0)
            diag_error(c->dc, n->pos, "node '%s' takes parameters but would be started "
                       "with none (it has no incoming edge); add an edge into it or "
                       "a 'start %s(...);' statement", n->name, n->name);
    }
}

static void check_reachable(Checker *c) {
    Graph *g = c->g;
    int nn = GRAPH_NNODES(g);
    int *queue = arena_alloc(c->a, sizeof(int) * (size_t)(nn + 1));
    int head = 0, tail = 0;
    for (int i = 0; i < nn; i++) {
        Node *n = GRAPH_NODE(g, i);
        if ((n->is_start || n->input) && !c->redefined[i]) {
            n->reachable = true;
            queue[tail++] = i;
        }
    }
    while (head < tail) {
        const Node *n = GRAPH_NODE(g, queue[head++]);
        for (int k = 0; k < n->nsucc; k++) {
            Node *d = GRAPH_NODE(g, n->succ[k]);
            if (!d->reachable) { d->reachable = true; queue[tail++] = d->id; }
        }
    }
    for (int i = 0; i < nn; i++) {
        const Node *n = GRAPH_NODE(g, i);
        if (!n->reachable && !c->redefined[i])
            diag_warning(c->dc, n->pos, "node '%s' can never run: no start node reaches it",
                         n->name);
    }
}

/* ---------------------------------------------------------------- entry */

/* A graph without nodes would be C with zero-size arrays: refused at its
** graph statement, or at the end of the file. */
static void check_not_empty(Checker *c) {
    Graph *g = c->g;
    if (GRAPH_NNODES(g) > 0) return;
    SrcPos at = g->declared ? g->pos : pos_end(c->dc->src);
    diag_error(c->dc, at, "graph '%s' has no nodes: declare at least one "
               "('node NAME() { ... }')", g->name);
}

bool check_graph(Graph *g, DiagCtx *dc, Arena *a) {
    Checker c;
    memset(&c, 0, sizeof c);
    c.g = g;
    c.dc = dc;
    c.a = a;
    bool parsed_ok = dc->nerrors == 0;
    g->start_nodes = arena_alloc(a, sizeof(int));
    if (dc->stopped || g->not_text) return false;      /* past the error limit */
    check_graph_attrs(&c);
    c.min_bytes = g->max_exceptions * CHECK_ERROR_MIN_BYTES;   /* the error pool */
    check_graph_name(&c);
    check_nodes(&c);
    if (parsed_ok && dc->nerrors == 0) check_offload_threads(&c);   /* noise next to errors */
    if (parsed_ok) {
        check_not_empty(&c);
        check_edges(&c);
        check_threads_storage(&c);
        check_cycles(&c);
        if (g->starts.len > 0) check_start_items(&c);
        else check_default_starts(&c);
        if (dc->nerrors == 0) check_reachable(&c);    /* noise next to errors */
    }
    strmap_free(&c.names);
    return dc->nerrors == 0;
}
