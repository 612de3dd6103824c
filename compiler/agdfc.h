/*
** agdfc.h — the whole compiler's data model in one place.
**
** agdfc is a pipeline of phases, one file each: lex (grammar/lexer.re, prefix
** lex_) turns bytes into tokens; parse (grammar/parser.y driven by
** compiler/parse.c, prefix parse_) builds the Graph below; check
** (compiler/check.c, prefix check_, with compiler/body.c, prefix body_, for
** node bodies) resolves names, validates attributes and types, finds cycles
** and fills the derived fields; emit (compiler/emit_*.c, prefix emit_)
** writes C, a header, DOT, Mermaid or JSON; main.c (prefix main_) runs them.
** Errors never get printed from deep inside a phase: every phase reports
** into a DiagCtx (compiler/diag.c, prefix diag_), and main.c prints them
** all, sorted, at the end.  Memory comes from an Arena (compiler/util.c,
** prefixes arena_, vec_, strmap_ and util_) that lives as long as the
** compilation and is released in one call.  The rules for names of the
** generated C (compiler/names.c, prefix names_) and positions
** (compiler/pos.c, prefix pos_) are leaves that any phase may use.
**
** Two rules keep this layout, and tests/layout/run.sh checks both: every
** function of a module, static or not, starts with the module's prefix (the
** C writer of emit_c.c may also use cw_); and no two modules call each other,
** even through others: main calls the phases, parse calls lex, check calls
** body, and util, diag, names and pos, which any module may call, call no
** phase.  The compiler opens a function's brace on the line of its
** declarator (docs/testing.md, "Code layout").
*/
#ifndef AGDFC_H
#define AGDFC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AGDFC_VERSION "0.1.0"

/* ---------------------------------------------------------------- util.c */

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;        /* newest block; older ones chained behind it */
} Arena;

void *arena_alloc(Arena *a, size_t n);          /* zeroed, 16-byte aligned */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...);
void arena_free(Arena *a);

/* A growable array of fixed-size elements, allocated with malloc because it
** moves as it grows; vec_free() releases it. */
typedef struct Vec {
    void *data;              /* elements */
    size_t len;              /* elements in use */
    size_t cap;              /* elements allocated */
} Vec;

void *vec_push(Vec *v, size_t elem);            /* returns the new zeroed slot */
void vec_free(Vec *v);
#define VEC_AT(v, T, i) (((T *)(v).data)[i])

/* A map from NUL-terminated strings (not copied: they must outlive the map,
** e.g. arena strings) to ints; open addressing, grows at 3/4 load. */
typedef struct StrMap {
    const char **keys;       /* NULL: empty slot */
    int *vals;
    size_t cap;              /* slots, a power of two */
    size_t len;              /* keys present */
} StrMap;

void strmap_init(StrMap *m, size_t hint);       /* hint: expected keys */
bool strmap_put(StrMap *m, const char *key, int val);  /* false: already there */
int strmap_get(const StrMap *m, const char *key);      /* -1 when absent */
void strmap_free(StrMap *m);

/* malloc/realloc that exit(2) with a message when memory runs out. */
void *util_xmalloc(size_t n);
void *util_xrealloc(void *p, size_t n);
void util_oom(void);
/* Big buffers: 2 MiB aligned, transparent huge pages where available; free(). */
void *util_big_alloc(size_t n);

/* ---------------------------------------------------------------- source */

typedef struct SrcPos {
    uint32_t line;           /* 1-based */
    uint32_t col;            /* 1-based, in bytes */
} SrcPos;

typedef struct Source {
    const char *path;        /* as named on the command line */
    const char *text;        /* the bytes, followed by a NUL sentinel */
    size_t len;              /* bytes, excluding the sentinel */
} Source;

/* ---------------------------------------------------------------- pos.c */

/* The position just after byte `off` of text that starts at start, counting
** newlines. */
SrcPos pos_at(SrcPos start, const char *text, size_t off);
SrcPos pos_end(const Source *src);             /* after the last byte; 1:1 when empty */
int pos_cmp(SrcPos a, SrcPos b);                /* <0, 0, >0 as a is before, at, after b */

/* ---------------------------------------------------------------- diag.c */

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag {
    SrcPos pos;              /* where the caret goes */
    DiagLevel level;
    uint32_t seq;            /* report order, the tie-breaker for sorting */
    char *msg;               /* formatted message, no trailing newline */
    SrcPos key;              /* sort position: pos, or for a note its error's pos */
} Diag;

typedef struct DiagCtx {
    const Source *src;       /* the file the positions refer to */
    Vec diags;               /* of Diag */
    int nerrors;
    int nwarnings;
    int error_limit;         /* errors kept before stopping; 0: no limit (default 20) */
    bool stopped;            /* the limit was reached: later reports are dropped */
} DiagCtx;

#define DIAG_ERROR_LIMIT 20  /* default of -ferror-limit */
#define DIAG_LINE_SHOWN  160 /* source bytes shown around the caret of a long line */

void diag_init(DiagCtx *dc, const Source *src);
void diag_report(DiagCtx *dc, DiagLevel lv, SrcPos pos, const char *fmt, ...);
void diag_vreport(DiagCtx *dc, DiagLevel lv, SrcPos pos, const char *fmt, va_list ap);
#define diag_error(dc, pos, ...)   diag_report((dc), DIAG_ERROR, (pos), __VA_ARGS__)
#define diag_warning(dc, pos, ...) diag_report((dc), DIAG_WARNING, (pos), __VA_ARGS__)
/* Prints every diagnostic in source order (stable for equal positions):
** "FILE:LINE:COL: error: MSG", the source line (a long one cut to
** DIAG_LINE_SHOWN bytes around the caret, with "..."), and a caret under
** COL; one write per diagnostic.  When the error limit stopped the
** compilation, ends with "agdfc: too many errors emitted, ..." and
** "N errors generated.". */
void diag_print(DiagCtx *dc, FILE *out);
void diag_free(DiagCtx *dc);
/* Notes (DIAG_NOTE) attach to the error or warning reported just before them:
** they sort with it and print right after it. */
#define diag_note(dc, pos, ...)    diag_report((dc), DIAG_NOTE, (pos), __VA_ARGS__)

/* ---------------------------------------------------------------- lexer */

typedef enum TokKind {
    TK_EOF = 0,
    /* The parser's token codes (build/parser.h, TK_ prefix via %token_prefix)
    ** are used directly as TokKind values; lex_ returns them. */
    TK__LEXER_LAST = 1000
} TokKind;

typedef struct Token {
    int kind;                /* a TK_ code from build/parser.h */
    SrcPos pos;              /* first byte */
    const char *text;        /* into Source.text (not NUL-terminated) */
    size_t len;              /* bytes of text */
    int64_t ival;            /* value of an integer literal */
} Token;

typedef struct Lexer {
    const Source *src;
    DiagCtx *dc;
    const char *cur;         /* next byte to read */
    const char *line_start;  /* first byte of the current line */
    uint32_t line;           /* line of cur */
    int prev[2];             /* kinds of the last two tokens (for start args) */
    const char *end;         /* one past the last byte of the source */
    SrcPos last_end;         /* just after the last token returned (for EOF errors) */
    bool ran_off_end;        /* an unterminated construct was reported at EOF */
} Lexer;

/* Token.ival of an integer the lexer already reported as malformed or too
** large: later phases skip it instead of reporting it again. */
#define LEX_BAD_INT INT64_MIN

/* Refuses, with one error, a file that is not text: more than 1/8 NUL,
** control bytes and invalid UTF-8 in its first LEX_TEXT_SAMPLE bytes (a
** binary file given by mistake would otherwise make a flood of errors).  A
** few stray bytes in a text file are left to the lexer, which says where.
** A file over LEX_MAX_BYTES is refused too: positions could not count it. */
#define LEX_TEXT_SAMPLE 65536
#define LEX_MAX_BYTES   0xFFFFFFF0UL           /* SrcPos counts lines and columns in 32 bits */
bool lex_is_text(const Source *src, DiagCtx *dc);
void lex_init(Lexer *lx, const Source *src, DiagCtx *dc);
Token lex_next(Lexer *lx);                      /* TK_EOF at the end, forever */
const char *lex_token_name(int kind);           /* "'->'", "identifier", ... */

/* ---------------------------------------------------------------- names.c */

bool names_is_c_keyword(const char *s);        /* C99/C11/C23, plus bool/true/false */
bool names_is_ident(const char *s);            /* [A-Za-z_][A-Za-z0-9_]* */
bool names_has_prefix(const char *s, const char *p);
bool names_is_agdf_keyword(const char *s);     /* node, start, graph */
/* Why a name cannot be an identifier of the generated C (a C keyword,
** reserved by C or by the runtime, a macro of the C library or of C
** compilers), or NULL; the phrase completes "<what> name 'x' is ...". */
const char *names_reserved_why(const char *s);

/* ---------------------------------------------------------------- limits */

/* What a graph may ask for (docs/language.md, "Limits").  The graph struct
** is one static object: with the default code model of x86-64 and most
** targets, all static data must fit in 2 GiB, so agdfc refuses attribute
** values and graphs whose storage could not be linked, and the generated
** header checks the exact size, which only the C compiler knows. */
#define AGDFC_QUEUE_MAX      16777216LL    /* queue_size: items per input queue */
#define AGDFC_TASKS_MAX      1048576LL     /* max_tasks: tasks per node */
#define AGDFC_EXCEPTIONS_MAX 1048576LL     /* max_exceptions: error records per node */
#define AGDFC_NTASKS_MAX     16777216LL    /* tasks of the whole graph */
#define AGDFC_GRAPH_BYTES    1073741824LL  /* default AGDF_GRAPH_MAX_BYTES: 1 GiB */

/* ---------------------------------------------------------------- graph */

/* An attribute as written: `name = value`.  Checked (known name, right kind,
** range) in check.c, so the parser accepts any name and value. */
typedef enum AttrKind { ATTR_INT, ATTR_BOOL, ATTR_IDENT } AttrKind;
typedef struct Attr {
    const char *name;
    SrcPos pos;              /* of the name */
    AttrKind kind;
    int64_t ival;            /* ATTR_INT value, or ATTR_BOOL 0/1 */
    const char *sval;        /* ATTR_IDENT spelling */
    SrcPos vpos;             /* of the value */
} Attr;

/* A C type as written, normalised: words joined by one space ("const char *",
** "unsigned long"), so two spellings of one type compare equal with strcmp. */
typedef struct CType {
    const char *text;
    SrcPos pos;
} CType;

typedef struct Param {
    CType type;
    const char *name;
    SrcPos pos;              /* of the name */
} Param;

typedef struct Node {
    const char *name;
    SrcPos pos;              /* of the name in `node NAME` */
    int id;                  /* index in Graph.nodes, declaration order */
    Param *params;           /* parameters, in order */
    int nparams;
    CType *outs;             /* output types; nouts == 0: yields no value */
    int nouts;
    bool out_tuple;          /* written as a parenthesised list */
    Attr *attrs;             /* as written; check.c fills the fields below */
    int nattrs;
    const char *state;       /* C text between the state braces, or NULL */
    SrcPos state_pos;        /* of the first byte of that text */
    const char *body;        /* C text between the body braces, or NULL */
    SrcPos body_pos;         /* of the first byte of that text */
    const char *on_close;    /* C text of the on_close block, or NULL */
    SrcPos on_close_pos;     /* of the first byte of that text */
    /* Filled by check.c. */
    int64_t max_tasks;       /* default 1 */
    int64_t queue_size;      /* default 10000 */
    int halt_on_exception;   /* -1: not set on the node; 0 or 1 */
    int *succ;               /* destination node ids, edge declaration order, no duplicates */
    int nsucc;
    int npred;               /* distinct source nodes */
    bool is_start;           /* started by default or by a start statement */
    bool reachable;          /* can run, given the start nodes */
    bool input;              /* [input = true]: fed by the host (G_push_NODE) */
    int64_t thread;          /* [thread = K]: explicit thread; -1: automatic */
    int64_t weight;          /* [weight = W]: relative cost of an item; default 1 */
    bool spread;             /* [spread = true]: tasks split over the threads */
} Node;

/* One `A -> B` step of a chain; a chain of n names gives n-1 edges. */
typedef struct Edge {
    const char *from, *to;   /* names as written */
    SrcPos from_pos, to_pos;
    int from_id, to_id;      /* resolved by check.c; -1 when unknown */
    bool duplicate;          /* check.c: an earlier edge joins the same two nodes */
} Edge;

/* A C expression, kept verbatim, with the position of its first byte. */
typedef struct CExpr {
    const char *text;
    SrcPos pos;
} CExpr;

typedef struct StartItem {
    const char *name;
    SrcPos pos;              /* of the name */
    int node_id;             /* resolved by check.c; -1 when unknown */
    CExpr *args;
    int nargs;
} StartItem;

typedef struct Verbatim {
    const char *text;        /* between %{ and %} (or %header{ and %}) */
    SrcPos pos;              /* of the first byte of text */
    bool header;             /* %header{ ... %}: copied into the .h */
} Verbatim;

typedef struct Graph {
    const char *name;        /* from `graph NAME`, else the file's basename */
    SrcPos pos;
    bool declared;           /* a `graph` statement was seen */
    bool not_text;           /* the file was refused unread (lex_is_text) */
    Attr *attrs;             /* graph attributes as written */
    int nattrs;
    bool halt_on_exception;  /* filled by check.c; default false */
    int64_t max_exceptions;  /* filled by check.c; default 1000 */
    int64_t offload_threads; /* filled by check.c; default: tasks that may offload */
    int64_t threads;         /* filled by check.c; default 1 (docs/language.md §3) */
    const Attr *threads_attr;/* the `threads` attribute as written, or NULL */
    bool handoff;            /* [handoff = true]: filled by check.c; default false */
    Vec verbatims;           /* of Verbatim, in source order */
    const char *usage;       /* text of the %usage{ %} block, or NULL */
    SrcPos usage_pos;        /* of its first byte */
    Vec nodes;               /* of Node, declaration order; Node.id indexes it */
    Vec edges;               /* of Edge, declaration order */
    Vec starts;              /* of StartItem, in order */
    /* Filled by check.c. */
    int *start_nodes;        /* default start nodes (no start statements) */
    int nstart_nodes;
    int *topo;               /* node ids in a topological order */
} Graph;

#define GRAPH_NODE(g, i)  (&VEC_AT((g)->nodes, Node, (i)))
#define GRAPH_EDGE(g, i)  (&VEC_AT((g)->edges, Edge, (i)))
#define GRAPH_START(g, i) (&VEC_AT((g)->starts, StartItem, (i)))
#define GRAPH_NNODES(g)   ((int)(g)->nodes.len)

/* ---------------------------------------------------------------- phases */

/* Lexes and parses src into a new Graph allocated in a.  Syntax errors go to
** dc; the parser recovers and keeps going, so the Graph may be partial. */
Graph *parse_source(const Source *src, DiagCtx *dc, Arena *a);
/* Frees the Graph's Vecs (the rest lives in the arena). */
void parse_graph_free(Graph *g);

/* body.c: the analyses of node bodies (returns, suspensions inside a
** switch, locals and changed parameters read after a suspension),
** reported into dc.  BodyTypes
** holds the typedef names of the verbatim blocks, for declarations. */
typedef struct BodyTypes {
    StrMap names;            /* typedef name -> 1 */
    Arena *a;                /* where the names live */
    const Graph *g;          /* the graph: which parameters are copied */
} BodyTypes;
void body_types_init(BodyTypes *bt, const Graph *g, Arena *a);
void body_types_free(BodyTypes *bt);
void body_check(const Node *n, const BodyTypes *bt, DiagCtx *dc);
/* How the generated body of nd reads parameter k (docs/language.md,
** section 8): copied into a local; in place in its input item through a
** macro of the name (every occurrence of the name is the parameter); or in
** place with each use rewritten in the body's text (the name is also a
** member: `v.v`), see body_rewrite_params. */
typedef enum BodyParamMode { BODY_PARAM_COPY, BODY_PARAM_ALIAS, BODY_PARAM_REWRITE } BodyParamMode;
BodyParamMode body_param_mode(const Graph *g, const Node *nd, int k);
/* Whether parameter k is read in place (ALIAS or REWRITE). */
bool body_param_in_place(const Graph *g, const Node *nd, int k);
/* nd's body text with the uses of its REWRITE parameters (modes: each
** parameter's body_param_mode) replaced by `(agdf_i->vK)`, the rest byte for
** byte; NULL when it has none (free it). */
char *body_rewrite_params(const Node *nd, const BodyParamMode *modes);

/* Validates g and fills its derived fields.  Returns false on any error. */
bool check_graph(Graph *g, DiagCtx *dc, Arena *a);

typedef struct EmitOpts {
    bool line_directives;    /* #line into the .agdf (default on) */
    bool with_main;          /* --main */
    const char *header_name; /* how the .c includes the header ("etl.h") */
    const char *src_path;    /* the .agdf path for #line and messages */
    const char *out_path;    /* this output as the user named it ("build/etl.c"),
                             ** for the #line back into it, so a debugger finds the
                             ** file from where the compiler ran; NULL: the bare name */
} EmitOpts;

void emit_dot(const Graph *g, FILE *out);
void emit_mermaid(const Graph *g, FILE *out);
void emit_json(const Graph *g, const Source *src, FILE *out);
void emit_c(const Graph *g, const EmitOpts *o, FILE *out);
void emit_h(const Graph *g, const EmitOpts *o, FILE *out);

/* emit_mt.c: the parts of NAME.h and NAME.c for worker threads (graph
** attribute threads > 1; docs/language.md §3), each written to out as plain
** text without user C text (emit_c.c counts its lines).  in_item[i] is the
** item struct number of node i's input (NAME__itemN), -1 when it has none. */
typedef enum EmitMtPart {
    EMIT_MT_STRUCT,          /* the graph struct's agdf_threads member */
    EMIT_MT_TABLES,          /* place table, ring and replica offsets, agdf_mt_def */
    EMIT_MT_INIT,            /* NAME_init's agdf_mt_init call */
    EMIT_MT_MAIN,            /* --main: the functions behind --threads and --placement */
    EMIT_MT_MEMORY           /* --main: --memory's lines on the threads' storage */
} EmitMtPart;
void emit_mt(const Graph *g, const int *in_item, EmitMtPart part, FILE *out);

#endif /* AGDFC_H */
