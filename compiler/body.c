/*
** body.c — the analyses of node bodies (prefix body_).  A body is C text that
** agdfc pastes into a stackless coroutine (docs/language.md, sections 8 and
** 9); four mistakes there compile cleanly and then run wrong, so they are
** found here, at the .agdf line: a `return` of anything but AGDF_DONE (the
** task dies silently: an error), a suspending macro inside a `switch` of the
** body (its resume label becomes a case of that switch: an error), a local
** variable read after a suspension it does not survive, and a copied
** parameter read after a suspension lost its change (warnings).
**
** The approach is light, not a C front end.  A tokenizer keeps identifiers,
** punctuators and literals, skips comments, and keeps one configuration of
** the preprocessor: directive lines are dropped, the lines of an `#if 0`
** group and of every `#else`/`#elif` branch are skipped (the first live
** branch is kept), so `#if 0` blocks with unbalanced braces do no harm.  A
** recursive-descent reader then walks the statements (blocks, if/else,
** loops, switch/case, break/continue/return/goto, labels, declarations,
** expression statements; GNU statement expressions too) and builds a small
** control-flow graph whose events are the declarations, reads and whole
** assignments of locals, the reads and changes of copied parameters, and
** the suspensions.  Two may-analyses over it (a local is stale after a
** suspension until declared or assigned again; a parameter's change is lost
** at a suspension until it is changed again) give the warnings, loops
** included: a suspension late in a loop reaches a read early in it through
** the back edge.
**
** Limits, chosen so that a doubt gives no warning rather than a false one:
** declarations are recognised by their shape (type keywords, typedef names
** of the %header/%{ blocks, `IDENT IDENT`, `IDENT *p =`); `static` and
** `extern` locals persist; `&x`, an array passed as a call argument and a
** name marked `/ * agdf: fresh * /` (without the spaces) count as assignments;
** conditions and `?:` are not followed (any assignment in them counts);
** macros are not expanded.  Statements nested more than BODY_MAX_NEST deep
** are refused (an error); bodies with more than BODY_MAX_LOCALS local
** declarations, more distinct local names than half of BODY_NAME_SLOTS, or
** a graph needing more than BODY_MAX_WORDS are not analysed for stale locals.
*/
#include <stdlib.h>
#include <string.h>

#include "agdfc.h"

#define BODY_MAX_NEST   256          /* statement nesting (clang's default bracket depth) */
#define BODY_MAX_LOCALS 1024         /* local declarations per body the analysis follows */
#define BODY_MAX_WORDS  (1u << 21)   /* 64-bit words of its bit sets (16 MiB) */
#define BODY_MAX_PEND   32           /* suspending macros open inside one expression */

/* ---------------------------------------------------------------- tokens */

typedef enum BTKind { BT_END, BT_IDENT, BT_PUNCT, BT_LIT } BTKind;

typedef struct BTok {
    const char *s;           /* into the body text */
    uint32_t len;            /* bytes */
    SrcPos pos;              /* in the .agdf file */
    uint8_t kind;            /* BTKind */
    uint8_t cls;             /* identifiers: BK_* classes of a keyword, 0: none */
    bool fresh;              /* preceded by the comment agdf: fresh */
    bool pp;                 /* on a directive line (whole-text scans only) */
} BTok;

/* Keyword classes, found once per identifier when it is tokenized. */
enum {
    BK_C = 1,                /* a C keyword (names_is_c_keyword's list) */
    BK_TYPE = 2,             /* a base type: int, double, bool, ... */
    BK_QUAL = 4,             /* a qualifier or storage class that changes nothing here */
    BK_PAREN = 8,            /* takes a parenthesised argument: __attribute__, _Alignas */
    BK_DECL = 16,            /* starts a declaration: static, struct, typedef, ... */
    BK_SUSP = 32,            /* a suspending macro (see body_classify) */
};

typedef struct BodyLex {
    const char *p;           /* next byte */
    SrcPos pos;              /* of p */
    Vec *out;                /* of BTok */
    int skip;                /* > 0: inside a skipped #if group, its nesting */
    bool skip_else;          /* the skipped group is an #if 0: its #else is live */
    bool fresh;              /* the next token carries the fresh mark */
    bool all;                /* whole text: directive lines tokenized, no group skipped */
    bool pp;                 /* all: the current line is a directive */
} BodyLex;

static bool body_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
        || (c >= '0' && c <= '9') || c == '$';
}

static void body_adv(BodyLex *L, size_t n) {
    for (; n > 0 && *L->p; n--, L->p++) {
        if (*L->p == '\n') { L->pos.line++; L->pos.col = 1; }
        else L->pos.col++;
    }
}

/* Skips a comment at L->p; true when it is the marker `agdf: fresh`. */
static bool body_comment(BodyLex *L) {
    const char *start = L->p + 2, *end;
    if (L->p[1] == '/') {
        body_adv(L, 2);
        while (*L->p && *L->p != '\n') body_adv(L, 1);
        end = L->p;
    } else {
        body_adv(L, 2);
        while (*L->p && !(L->p[0] == '*' && L->p[1] == '/')) body_adv(L, 1);
        end = L->p;
        body_adv(L, 2);
    }
    while (start < end && (*start == ' ' || *start == '\t')) start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
    return end - start == 11 && memcmp(start, "agdf: fresh", 11) == 0;
}

/* A directive line: drops it, and follows #if 0 and #else/#elif branches
** (skipped) so that one configuration of the body is read. */
static void body_directive(BodyLex *L) {
    body_adv(L, 1);
    while (*L->p == ' ' || *L->p == '\t') body_adv(L, 1);
    const char *w = L->p;
    while (body_ident_char(*L->p)) body_adv(L, 1);
    size_t wl = (size_t)(L->p - w);
    bool is_if = (wl == 2 && memcmp(w, "if", 2) == 0) || (wl == 5 && memcmp(w, "ifdef", 5) == 0)
              || (wl == 6 && memcmp(w, "ifndef", 6) == 0);
    bool is_else = (wl == 4 && memcmp(w, "else", 4) == 0) || (wl == 4 && memcmp(w, "elif", 4) == 0)
                || (wl == 7 && (memcmp(w, "elifdef", 7) == 0)) || (wl == 8 && memcmp(w, "elifndef", 8) == 0);
    bool is_endif = wl == 5 && memcmp(w, "endif", 5) == 0;
    while (*L->p == ' ' || *L->p == '\t') body_adv(L, 1);
    bool zero = wl == 2 && L->p[0] == '0' && !body_ident_char(L->p[1]);
    while (*L->p && *L->p != '\n') {                /* the rest, with continuations */
        if (L->p[0] == '\\' && L->p[1] == '\n') body_adv(L, 2);
        else if (L->p[0] == '/' && (L->p[1] == '*' || L->p[1] == '/')) body_comment(L);
        else body_adv(L, 1);
    }
    if (L->skip > 0) {
        if (is_if) L->skip++;
        else if (is_endif) L->skip--;
        else if (is_else && L->skip == 1 && L->skip_else) L->skip = 0;
    } else if (is_if && zero) {
        L->skip = 1;
        L->skip_else = true;
    } else if (is_else) {
        L->skip = 1;
        L->skip_else = false;
    }
}

#define BODY_IS(t, lit) ((t)->len == sizeof(lit) - 1 && memcmp((t)->s, (lit), sizeof(lit) - 1) == 0)
#define body_is BODY_IS

static bool body_is_keyword(const BTok *t) { return t->cls & BK_C; }

/* The class of identifier s: keywords, and the macros that plant a resume
** label (runtime/agdf.h) — AGDF_YIELD*, AGDF_WAIT_*, AGDF_OFFLOAD* by
** prefix, so that a variant added later counts too. */
static uint8_t body_classify(const char *s, size_t len) {
    static const struct { const char *s; uint8_t len, cls; } kw[] = {
#define K(w, c) { w, sizeof(w) - 1, c }
        K("void", BK_C | BK_TYPE), K("char", BK_C | BK_TYPE), K("short", BK_C | BK_TYPE),
        K("int", BK_C | BK_TYPE), K("long", BK_C | BK_TYPE), K("float", BK_C | BK_TYPE),
        K("double", BK_C | BK_TYPE), K("signed", BK_C | BK_TYPE),
        K("unsigned", BK_C | BK_TYPE), K("_Bool", BK_C | BK_TYPE), K("bool", BK_C | BK_TYPE),
        K("_Complex", BK_C | BK_TYPE), K("_Imaginary", BK_C | BK_TYPE), K("__int128", BK_TYPE),
        K("const", BK_C | BK_QUAL), K("volatile", BK_C | BK_QUAL), K("restrict", BK_C | BK_QUAL),
        K("register", BK_C | BK_QUAL), K("auto", BK_C | BK_QUAL), K("inline", BK_C | BK_QUAL),
        K("_Thread_local", BK_C | BK_QUAL), K("thread_local", BK_C | BK_QUAL),
        K("_Noreturn", BK_C | BK_QUAL), K("constexpr", BK_C | BK_QUAL),
        K("__extension__", BK_QUAL), K("__restrict", BK_QUAL), K("__restrict__", BK_QUAL),
        K("__inline", BK_QUAL), K("__inline__", BK_QUAL), K("__const", BK_QUAL),
        K("__volatile__", BK_QUAL),
        K("__attribute__", BK_PAREN), K("__attribute", BK_PAREN),
        K("_Alignas", BK_C | BK_PAREN), K("alignas", BK_C | BK_PAREN),
        K("_Atomic", BK_C | BK_PAREN), K("typeof", BK_C | BK_PAREN),
        K("typeof_unqual", BK_C | BK_PAREN), K("__typeof__", BK_PAREN), K("__typeof", BK_PAREN),
        K("static", BK_C | BK_DECL), K("extern", BK_C | BK_DECL), K("typedef", BK_C | BK_DECL),
        K("struct", BK_C | BK_DECL), K("union", BK_C | BK_DECL), K("enum", BK_C | BK_DECL),
        K("_Static_assert", BK_C | BK_DECL), K("static_assert", BK_C | BK_DECL),
        K("break", BK_C), K("case", BK_C), K("continue", BK_C), K("default", BK_C),
        K("do", BK_C), K("else", BK_C), K("for", BK_C), K("goto", BK_C), K("if", BK_C),
        K("return", BK_C), K("sizeof", BK_C), K("switch", BK_C), K("while", BK_C),
        K("_Alignof", BK_C), K("_Generic", BK_C), K("true", BK_C), K("false", BK_C),
        K("alignof", BK_C), K("nullptr", BK_C),
        K("AGDF_PASS", BK_SUSP), K("AGDF_SLEEP", BK_SUSP), K("AGDF_AWAIT", BK_SUSP),
        K("AGDF__PARK", BK_SUSP), K("AGDF__PARK_AT", BK_SUSP), K("AGDF__PUT_ANY", BK_SUSP),
        K("AGDF__PUT_WIN", BK_SUSP), K("AGDF__OUT_PUT", BK_SUSP),
#undef K
    };
    if (len >= 10 && memcmp(s, "AGDF_", 5) == 0
        && (memcmp(s, "AGDF_YIELD", 10) == 0 || (len > 10 && memcmp(s, "AGDF_WAIT_", 10) == 0)
            || (len >= 12 && memcmp(s, "AGDF_OFFLOAD", 12) == 0)))
        return BK_SUSP;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (kw[i].len == len && s[0] == kw[i].s[0] && memcmp(s, kw[i].s, len) == 0)
            return kw[i].cls;
    return 0;
}

static bool body_is_suspending(const BTok *t) { return t->cls & BK_SUSP; }

static void body_push(BodyLex *L, const char *s, size_t len, BTKind kind, SrcPos pos) {
    BTok *t = vec_push(L->out, sizeof(BTok));
    t->s = s;
    t->len = (uint32_t)len;
    t->pos = pos;
    t->kind = (uint8_t)kind;
    t->cls = kind == BT_IDENT ? body_classify(s, len) : 0;
    t->fresh = L->fresh;
    t->pp = L->pp;
    L->fresh = false;
}

/* Bytes of the punctuator at p: the ones whose length matters here (=
** against ==, ->, ++, compound assignments, ...), else 1. */
static size_t body_punct_len(const char *p) {
    char a = p[0], b = p[1];
    if ((a == '<' || a == '>') && b == a) return p[2] == '=' ? 3 : 2;
    if (a == '.' && b == '.' && p[2] == '.') return 3;
    if ((a == '-' && b == '>') || ((a == '+' || a == '-' || a == '&' || a == '|' || a == '#') && b == a))
        return 2;
    if (b == '=' && strchr("<>=!*/%+-&^|", a)) return 2;
    return 1;
}

/* Tokenizes text (NUL-terminated; pos is its first byte) into out: one
** configuration of it, or with all, every byte of it (the directive lines'
** tokens marked pp, the skipped groups read as ordinary text). */
static void body_tokenize(const char *text, SrcPos pos, Vec *out, bool all) {
    BodyLex L = { text, pos, out, 0, false, false, all, false };
    bool bol = true;                           /* only blanks since the line began */
    while (*L.p) {
        char c = *L.p;
        SrcPos at = L.pos;
        const char *s = L.p;
        if (c == '\n') { body_adv(&L, 1); bol = true; L.pp = false; continue; }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { body_adv(&L, 1); continue; }
        if (c == '\\' && L.p[1] == '\n') { body_adv(&L, 2); continue; }
        if (c == '/' && (L.p[1] == '*' || L.p[1] == '/')) {
            if (body_comment(&L) && L.skip == 0) L.fresh = true;
            continue;
        }
        if (c == '#' && bol && all) L.pp = true;
        else if (c == '#' && bol) { body_directive(&L); continue; }
        bol = false;
        if (L.skip > 0) { body_adv(&L, 1); continue; }
        if (c == '"' || c == '\'') {
            body_adv(&L, 1);
            while (*L.p && *L.p != c && *L.p != '\n') body_adv(&L, L.p[0] == '\\' && L.p[1] ? 2 : 1);
            if (*L.p == c) body_adv(&L, 1);
            body_push(&L, s, (size_t)(L.p - s), BT_LIT, at);
        } else if ((c >= '0' && c <= '9') || (c == '.' && L.p[1] >= '0' && L.p[1] <= '9')) {
            body_adv(&L, 1);
            for (;;) {
                char d = *L.p;
                if ((d == '+' || d == '-') && strchr("eEpP", L.p[-1])) body_adv(&L, 1);
                else if (body_ident_char(d) || d == '.') body_adv(&L, 1);
                else break;
            }
            body_push(&L, s, (size_t)(L.p - s), BT_LIT, at);
        } else if (body_ident_char(c)) {
            while (body_ident_char(*L.p)) body_adv(&L, 1);
            body_push(&L, s, (size_t)(L.p - s), BT_IDENT, at);
        } else {
            body_adv(&L, body_punct_len(L.p));
            body_push(&L, s, (size_t)(L.p - s), BT_PUNCT, at);
        }
    }
}

/* ---------------------------------------------------------------- typedef names */

/* Records the name a `typedef ... ;` declares, from its tokens [i, end). */
static void body_typedef_name(BodyTypes *bt, const BTok *t, size_t i, size_t end) {
    int paren = 0, brace = 0;
    const BTok *name = NULL;
    for (; i < end; i++) {
        if (body_is(&t[i], "(")) paren++;
        else if (body_is(&t[i], ")")) paren--;
        else if (body_is(&t[i], "{")) brace++;
        else if (body_is(&t[i], "}")) brace--;
        else if (brace == 0 && (body_is(&t[i], ",") || body_is(&t[i], ";")) && paren == 0) {
            if (name) strmap_put(&bt->names, arena_strndup(bt->a, name->s, name->len), 1);
            name = NULL;
        } else if (brace == 0 && t[i].kind == BT_IDENT && !body_is_keyword(&t[i])
                   && (paren == 0 || (i > 0 && body_is(&t[i - 1], "*"))))
            name = &t[i];
    }
}

void body_types_init(BodyTypes *bt, const Graph *g, Arena *a) {
    bt->a = a;
    bt->g = g;
    strmap_init(&bt->names, 16);
    for (size_t k = 0; k < g->verbatims.len; k++) {
        const Verbatim *v = &VEC_AT(g->verbatims, Verbatim, k);
        Vec toks = { 0 };
        body_tokenize(v->text, v->pos, &toks, false);
        const BTok *t = toks.data;
        int depth = 0;
        for (size_t i = 0; i < toks.len; i++) {
            if (body_is(&t[i], "{")) depth++;
            else if (body_is(&t[i], "}")) depth--;
            else if (depth == 0 && body_is(&t[i], "typedef")) {
                size_t j = i + 1;
                int d = 0;
                while (j < toks.len && !(d == 0 && body_is(&t[j], ";"))) {
                    d += body_is(&t[j], "{") - body_is(&t[j], "}");
                    j++;
                }
                body_typedef_name(bt, t, i + 1, j < toks.len ? j + 1 : j);
                i = j;
            }
        }
        vec_free(&toks);
    }
}

void body_types_free(BodyTypes *bt) {
    strmap_free(&bt->names);
}

/* ---------------------------------------------------------------- the reader */

/* Events: EV_DECL, EV_READ, EV_ASSIGN of locals; EV_PREAD, EV_PCHANGE
** (`v = `, `v++`, `v += `: a read comes first unless it is `=`) and
** EV_PFRESH (`&v`, the fresh mark) of copied parameters. */
typedef enum EvKind {
    EV_NOP, EV_DECL, EV_READ, EV_ASSIGN, EV_SUSP, EV_PREAD, EV_PCHANGE, EV_PFRESH
} EvKind;

typedef struct Ev {
    uint8_t kind;            /* EvKind */
    int var;                 /* local id (DECL, READ, ASSIGN), parameter id (P*) */
    uint32_t tok;            /* where it is */
} Ev;

typedef struct Var {
    const BTok *name;
    int id;                  /* local id, -1: not followed (static, extern, parameter) */
    int param;               /* copied parameter: its id, -1: a local */
    bool array;              /* declared with [ ] */
    int slot;                /* its name's slot in Body.names */
    int shadowed;            /* the Var of that name it hides, -1: none */
} Var;

#define BODY_NAME_SLOTS 8192 /* most name slots per body (a power of two): half usable */

typedef struct Body {
    DiagCtx *dc;
    const BodyTypes *types;
    const BTok *t;
    uint32_t nt, i, end;     /* tokens, cursor, limit of the current scan */
    int nest;                /* statement nesting */
    bool refused;            /* nested too deeply: reported, reading stopped */
    bool no_locals;          /* too many locals: no warnings for this body */
    int32_t sw;              /* token of the innermost switch the cursor is in, -1 */
    int cur;                 /* event the next one follows, -1: unreachable */
    int brk, cont;           /* targets of break and continue, -1: none */
    bool had_default;        /* the innermost switch has a default label */
    Vec ev;                  /* of Ev */
    Vec edges;               /* of int[2] */
    Vec vars;                /* of Var: the locals in scope, innermost last */
    const BTok **name_key;   /* open addressing: a local's name, NULL: free slot */
    int *name_var;           /* ... its innermost Var in scope, -1: none */
    int nslots;              /* slots (a power of two; 0 until the first local) */
    int nnames;              /* slots in use */
    Vec cases;               /* of int: case label events of the open switches */
    Vec gotos;               /* of int[2]: event, label token */
    Vec labels;              /* of int[2]: event, label token */
    int nlocals;             /* local ids handed out */
    int nparams;             /* parameter ids handed out (the copied ones) */
    BTok *pnames;            /* their names, as tokens (they have no place) */
} Body;

static const BTok body_end_tok = { "", 0, { 0, 0 }, BT_END, 0, false, false };

static const BTok *body_tok(const Body *b, uint32_t k) {
    return b->i + k < b->end ? &b->t[b->i + k] : &body_end_tok;
}

static int body_ev_new(Body *b, EvKind kind, int var, uint32_t tok) {
    Ev *e = vec_push(&b->ev, sizeof(Ev));
    e->kind = (uint8_t)kind;
    e->var = var;
    e->tok = tok;
    return (int)b->ev.len - 1;
}

static void body_edge(Body *b, int from, int to) {
    if (from < 0 || to < 0) return;
    int *e = vec_push(&b->edges, sizeof(int[2]));
    e[0] = from;
    e[1] = to;
}

static void body_place(Body *b, int e) {
    body_edge(b, b->cur, e);
    b->cur = e;
}

static int body_emit(Body *b, EvKind kind, int var, uint32_t tok) {
    int e = body_ev_new(b, kind, var, tok);
    body_place(b, e);
    return e;
}

/* Skips a balanced group opening at the cursor ( ( [ or { ). */
static void body_skip_group(Body *b) {
    int depth = 0;
    do {
        const BTok *t = body_tok(b, 0);
        if (t->kind == BT_END) return;
        if (body_is(t, "(") || body_is(t, "[") || body_is(t, "{")) depth++;
        else if (body_is(t, ")") || body_is(t, "]") || body_is(t, "}")) depth--;
        b->i++;
    } while (depth > 0);
}

/* The slot of name t in b->name_key (free when the name is new), or -1
** when the table is too full to take it. */
static int body_name_slot(Body *b, const BTok *t) {
    uint32_t h = 2166136261u;
    for (uint32_t k = 0; k < t->len; k++) h = (h ^ (unsigned char)t->s[k]) * 16777619u;
    for (int k = 0; k < b->nslots; k++) {
        int slot = (int)((h + (uint32_t)k) & (uint32_t)(b->nslots - 1));
        const BTok *key = b->name_key[slot];
        if (!key) return b->nnames < b->nslots / 2 ? slot : -1;
        if (key->len == t->len && memcmp(key->s, t->s, t->len) == 0) return slot;
    }
    return -1;
}

/* Doubles the name table (first use: 64 slots); false at BODY_NAME_SLOTS. */
static bool body_names_grow(Body *b) {
    int old = b->nslots;
    const BTok **okey = b->name_key;
    int *ovar = b->name_var;
    if (old >= BODY_NAME_SLOTS) return false;
    b->nslots = old ? old * 2 : 64;
    b->name_key = calloc((size_t)b->nslots, sizeof *b->name_key);
    b->name_var = malloc((size_t)b->nslots * sizeof *b->name_var);
    if (!b->name_key || !b->name_var) util_oom();
    b->nnames = 0;
    for (int k = 0; k < old; k++) {
        if (!okey[k]) continue;
        int slot = body_name_slot(b, okey[k]);
        b->name_key[slot] = okey[k];
        b->name_var[slot] = ovar[k];
        b->nnames++;
    }
    for (size_t k = 0; k < b->vars.len; k++) {
        Var *v = &VEC_AT(b->vars, Var, k);
        v->slot = body_name_slot(b, v->name);
    }
    free(okey);
    free(ovar);
    return true;
}

static Var *body_lookup(Body *b, const BTok *t) {
    int slot = body_name_slot(b, t);
    if (slot < 0 || !b->name_key[slot] || b->name_var[slot] < 0) return NULL;
    return &VEC_AT(b->vars, Var, b->name_var[slot]);
}

/* Leaves the scope that began when nvars locals were in scope. */
static void body_scope_end(Body *b, size_t nvars) {
    while (b->vars.len > nvars) {
        const Var *v = &VEC_AT(b->vars, Var, b->vars.len - 1);
        b->name_var[v->slot] = v->shadowed;
        b->vars.len--;
    }
}

/* Brings name into scope as a Var of no id yet; NULL when the name table
** is full (then the body is not analysed: see body_declare). */
static Var *body_scope_add(Body *b, const BTok *name) {
    int slot = body_name_slot(b, name);
    if (slot < 0 && body_names_grow(b)) slot = body_name_slot(b, name);
    if (slot < 0) {
        b->no_locals = true;
        return NULL;
    }
    if (!b->name_key[slot]) {
        b->name_key[slot] = name;
        b->name_var[slot] = -1;
        b->nnames++;
    }
    Var *v = vec_push(&b->vars, sizeof(Var));
    v->name = name;
    v->id = v->param = -1;
    v->array = false;
    v->slot = slot;
    v->shadowed = b->name_var[slot];
    b->name_var[slot] = (int)b->vars.len - 1;
    return v;
}

/* Brings a local into scope (followed: its value is lost at a suspension).
** Past BODY_MAX_LOCALS the body is not analysed for locals at all: one
** unrecorded declaration could shadow another and give a false alarm. */
static void body_declare(Body *b, uint32_t name, bool followed, bool array) {
    if (b->no_locals) return;
    if (b->vars.len == BODY_MAX_LOCALS || (followed && b->nlocals == BODY_MAX_LOCALS)) {
        b->no_locals = true;
        return;
    }
    Var *v = body_scope_add(b, &b->t[name]);
    if (!v) return;
    v->array = array;
    if (!followed) return;
    v->id = b->nlocals++;
    body_emit(b, EV_DECL, v->id, name);
}

static void body_switch_error(Body *b, const BTok *t) {
    diag_error(b->dc, t->pos, "'%.*s' inside a switch statement: its resume point would "
               "become a case of that switch (use if/else, or move the suspension out of "
               "the switch)", (int)t->len, t->s);
    diag_note(b->dc, b->t[b->sw].pos, "the switch statement starts here");
}

/* Whether the name at the cursor is re-made where agdfc cannot see how:
** the fresh mark, or its address taken (`&v`, not `a & v`). */
static bool body_remade(const Body *b) {
    const BTok *prev = b->i > 0 ? &b->t[b->i - 1] : &body_end_tok;
    const BTok *prev2 = b->i > 1 ? &b->t[b->i - 2] : &body_end_tok;
    return b->t[b->i].fresh || (body_is(prev, "&") && (prev2->kind == BT_END
        || (prev2->kind == BT_PUNCT && !body_is(prev2, ")") && !body_is(prev2, "]"))));
}

/* How an occurrence of local v is used: a whole assignment (`v = `), an
** escape that may write it (`&v`, the fresh mark, an array or a member
** `v.f` passed as an argument: `fgets(l.s, ...)` fills it) or a read. */
static EvKind body_use(const Body *b, const Var *v) {
    const BTok *prev = b->i > 0 ? &b->t[b->i - 1] : &body_end_tok;
    const BTok *next = body_tok(b, 1);
    if (body_remade(b)) return EV_ASSIGN;
    if (body_is(next, "=") && !body_is(prev, "*") && !body_is(prev, "++")
        && !body_is(prev, "--") && !body_is(prev, "&"))
        return EV_ASSIGN;
    if (body_is(prev, "(") || body_is(prev, ",")) {   /* an argument: v, v.f.g */
        uint32_t k = 1;
        while (body_is(body_tok(b, k), ".") && body_tok(b, k + 1)->kind == BT_IDENT) k += 2;
        if ((k > 1 || v->array) && (body_is(body_tok(b, k), ",") || body_is(body_tok(b, k), ")")))
            return EV_ASSIGN;
    }
    return EV_READ;
}

/* The events of an occurrence of copied parameter v (`v`, `v.f.g`): a
** change when assigned (`=`, `+=`, ...) or stepped (`++`, `--`), after a
** read unless the operator is `=`; re-made by `&v` or the fresh mark (the
** value is agdfc's to doubt: no warning either way); else a read.  `*v = `
** and `v[i] = ` change what a pointer points at, not v: reads.  True when
** v is assigned: the caller places the change after the right-hand side,
** which reads first (`v = v * 2` reads the old v). */
static bool body_param_use(Body *b, const Var *v) {
    const BTok *prev = b->i > 0 ? &b->t[b->i - 1] : &body_end_tok;
    if (body_remade(b)) {
        body_emit(b, EV_PFRESH, v->param, b->i);
        return false;
    }
    uint32_t k = 1;
    while (body_is(body_tok(b, k), ".") && body_tok(b, k + 1)->kind == BT_IDENT) k += 2;
    const BTok *op = body_tok(b, k);
    bool assign = op->kind == BT_PUNCT && op->s[op->len - 1] == '='
               && !(op->len == 2 && strchr("=!<>", op->s[0])) && !body_is(prev, "*");
    bool step = body_is(prev, "++") || body_is(prev, "--") || body_is(op, "++")
             || body_is(op, "--");
    if (!(assign && op->len == 1)) body_emit(b, EV_PREAD, v->param, b->i);
    if (step && !assign) body_emit(b, EV_PCHANGE, v->param, b->i);
    return assign;
}

typedef struct PendWrite {
    int depth;               /* bracket depth of the assignment */
    int param;               /* the parameter's id */
    uint32_t tok;            /* its name */
} PendWrite;

/* Places the pending changes of parameters made deeper than depth (and
** at depth itself when at is true): their right-hand sides have ended. */
static void body_flush_writes(Body *b, PendWrite *pw, int *npw, int depth, bool at) {
    while (*npw > 0 && (pw[*npw - 1].depth > depth || (at && pw[*npw - 1].depth == depth))) {
        (*npw)--;
        body_emit(b, EV_PCHANGE, pw[*npw].param, pw[*npw].tok);
    }
}

typedef enum ExprMode {
    EX_STMT,                 /* up to and including ';' */
    EX_PAREN,                /* after '(': up to and including the matching ')' */
    EX_INIT,                 /* an initializer: up to ',' or ';' (not consumed) */
    EX_CASE,                 /* a case label: up to and including ':' */
    EX_RANGE,                /* up to b->end */
} ExprMode;

static void body_block(Body *b);

/* sizeof/_Alignof do not evaluate their operand: skip it. */
static void body_skip_sizeof(Body *b) {
    b->i++;
    if (body_is(body_tok(b, 0), "(")) { body_skip_group(b); return; }
    while (body_tok(b, 0)->kind == BT_PUNCT && !body_is(body_tok(b, 0), ";")
           && strchr("*&-+!~", body_tok(b, 0)->s[0]))
        b->i++;
    if (body_tok(b, 0)->kind == BT_IDENT || body_tok(b, 0)->kind == BT_LIT) b->i++;
}

typedef struct Pend {
    int depth;               /* paren depth its argument list closes at */
    uint32_t tok;            /* the macro's name */
    int head;                /* AGDF_AWAIT: the event its condition starts at */
} Pend;

/* A suspending macro or AGDF_RAISE whose argument list has closed. */
static void body_close_macro(Body *b, const Pend *p) {
    const BTok *t = &b->t[p->tok];
    if (body_is(t, "AGDF_RAISE")) { b->cur = -1; return; }
    int br = b->cur;
    body_emit(b, EV_SUSP, -1, p->tok);
    if (p->head >= 0) {                        /* AGDF_AWAIT: evaluates again */
        body_edge(b, b->cur, p->head);
        b->cur = br;
    }
}

/* Scans an expression: reads, assignments and escapes of locals, and the
** suspending macros (their arguments are evaluated before they suspend). */
static void body_expr(Body *b, ExprMode mode) {
    int depth = 0, ternary = 0, npend = 0, npw = 0;
    Pend pend[BODY_MAX_PEND];
    PendWrite pw[BODY_MAX_PEND];
    while (b->i < b->end && !b->refused) {
        const BTok *t = &b->t[b->i];
        if (t->kind == BT_PUNCT) {
            char c = t->len == 1 ? t->s[0] : 0;
            if (c == '{' && b->i > 0 && body_is(&b->t[b->i - 1], "(")) {
                b->i++;                        /* ({ ... }): statements */
                body_block(b);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    if (c == ')' && mode == EX_PAREN) { b->i++; break; }
                    if (c == '}') break;
                    b->i++;                     /* stray: ignore */
                    continue;
                }
                depth--;
                b->i++;
                body_flush_writes(b, pw, &npw, depth, false);
                while (npend > 0 && pend[npend - 1].depth == depth)
                    body_close_macro(b, &pend[--npend]);
                continue;
            } else if ((c == ';' || c == ',') && npw > 0) {
                body_flush_writes(b, pw, &npw, depth, true);
            }
            if (c == ';' && depth == 0) {
                if (mode == EX_STMT) b->i++;
                if (mode != EX_RANGE) break;
            } else if (c == ',' && depth == 0 && mode == EX_INIT) break;
            else if (c == '?') ternary++;
            else if (c == ':' && depth == 0 && mode == EX_CASE) {
                if (ternary == 0) { b->i++; break; }
                ternary--;
            }
            b->i++;
            continue;
        }
        if (t->kind != BT_IDENT) { b->i++; continue; }
        if (body_is(t, "sizeof") || body_is(t, "_Alignof") || body_is(t, "alignof")) {
            body_skip_sizeof(b);
            continue;
        }
        bool susp = body_is_suspending(t);
        if (susp && b->sw >= 0) body_switch_error(b, t);
        if (susp || body_is(t, "AGDF_RAISE")) {
            Pend p = { depth, b->i, -1 };
            if (body_is(t, "AGDF_AWAIT")) p.head = body_emit(b, EV_NOP, -1, b->i);
            b->i++;
            if (body_is(body_tok(b, 0), "(") && npend < BODY_MAX_PEND) {
                pend[npend++] = p;
                depth++;
                b->i++;
            } else body_close_macro(b, &p);
            continue;
        }
        Var *v = b->no_locals ? NULL : body_lookup(b, t);
        bool member = b->i > 0 && (body_is(&b->t[b->i - 1], ".")
                                   || body_is(&b->t[b->i - 1], "->"));
        if (v && v->id >= 0 && !member) body_emit(b, body_use(b, v), v->id, b->i);
        else if (v && v->param >= 0 && !member && body_param_use(b, v)) {
            if (npw < BODY_MAX_PEND) pw[npw++] = (PendWrite){ depth, v->param, b->i };
            else body_emit(b, EV_PCHANGE, v->param, b->i);
        }
        b->i++;
    }
    body_flush_writes(b, pw, &npw, -1, false);
    while (npend > 0) body_close_macro(b, &pend[--npend]);
}

/* `( expression )` after if, while, switch; true when it is the constant
** 1/true (a loop that only break leaves) or 0/false (never repeated). */
static int body_cond(Body *b) {
    int konst = -1;
    if (!body_is(body_tok(b, 0), "(")) return konst;
    if (body_is(body_tok(b, 2), ")")) {
        const BTok *k = body_tok(b, 1);
        if (body_is(k, "1") || body_is(k, "true")) konst = 1;
        if (body_is(k, "0") || body_is(k, "false")) konst = 0;
    }
    b->i++;
    body_expr(b, EX_PAREN);
    return konst;
}

/* ---------------------------------------------------------------- declarations */

static bool body_is_type_kw(const BTok *t) { return t->cls & BK_TYPE; }
static bool body_is_qual_kw(const BTok *t) { return t->cls & BK_QUAL; }
static bool body_is_paren_kw(const BTok *t) { return t->cls & BK_PAREN; }
static bool body_is_storage_kw(const BTok *t) { return t->cls & BK_DECL; }

static bool body_is_typedef_name(const Body *b, const BTok *t) {
    char buf[128];
    if (t->kind != BT_IDENT || t->len >= sizeof buf) return false;
    memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    return strmap_get(&b->types->names, buf) >= 0;
}

/* Whether the statement at the cursor is a declaration, by its shape. */
static bool body_is_decl(const Body *b) {
    const BTok *t = body_tok(b, 0), *n = body_tok(b, 1);
    if (t->kind != BT_IDENT) return false;
    if (body_is_type_kw(t) || body_is_qual_kw(t) || body_is_storage_kw(t)
        || body_is_paren_kw(t))
        return true;
    if (body_is_keyword(t)) return false;
    if (body_is_typedef_name(b, t) && (n->kind == BT_IDENT || body_is(n, "*"))) return true;
    if (n->kind == BT_IDENT) return true;            /* T x: nothing else is C */
    uint32_t k = 1;
    while (body_is(body_tok(b, k), "*") || (k > 1 && body_is_qual_kw(body_tok(b, k)))) k++;
    if (k == 1 || body_tok(b, k)->kind != BT_IDENT) return false;
    const BTok *after = body_tok(b, k + 1);          /* T *x = ..., T *const x; ... */
    return body_is(after, "=") || body_is(after, ";") || body_is(after, ",")
        || body_is(after, "[");
}

/* One declarator: pointers, a name (maybe in parentheses), suffixes, and
** an initializer; declares the name (static ones are not followed). */
static void body_declarator(Body *b, bool persistent, bool is_typedef) {
    while (body_is(body_tok(b, 0), "*") || body_is_qual_kw(body_tok(b, 0)) || body_is_paren_kw(body_tok(b, 0))) {
        if (body_is_paren_kw(body_tok(b, 0))) {
            b->i++;
            if (body_is(body_tok(b, 0), "(")) body_skip_group(b);
        } else b->i++;
    }
    int64_t name = -1;
    bool func = false, array = false;
    if (body_is(body_tok(b, 0), "(")) {             /* (*name)(...), (*name)[N] */
        uint32_t open = b->i;
        b->i++;
        while (body_is(body_tok(b, 0), "*") || body_is_qual_kw(body_tok(b, 0))) b->i++;
        if (body_tok(b, 0)->kind == BT_IDENT) name = b->i;
        b->i = open;
        body_skip_group(b);
    } else if (body_tok(b, 0)->kind == BT_IDENT && !body_is_keyword(body_tok(b, 0))) {
        name = b->i++;
        func = body_is(body_tok(b, 0), "(");
    }
    for (;;) {
        if (body_is(body_tok(b, 0), "[")) { array = true; body_skip_group(b); }
        else if (body_is(body_tok(b, 0), "(")) body_skip_group(b);
        else if (body_is_paren_kw(body_tok(b, 0))) { b->i++; if (body_is(body_tok(b, 0), "(")) body_skip_group(b); }
        else break;
    }
    if (body_is(body_tok(b, 0), "=")) {
        b->i++;
        body_expr(b, EX_INIT);
    }
    if (name >= 0 && !func && !is_typedef) body_declare(b, (uint32_t)name, !persistent, array);
}

/* A declaration statement (or the first clause of a for). */
static void body_decl(Body *b) {
    bool persistent = false, is_typedef = false, base = false;
    for (;;) {
        const BTok *t = body_tok(b, 0);
        if (t->kind != BT_IDENT) break;
        if (body_is(t, "struct") || body_is(t, "union") || body_is(t, "enum")) {
            b->i++;
            while (body_is_paren_kw(body_tok(b, 0))) { b->i++; if (body_is(body_tok(b, 0), "(")) body_skip_group(b); }
            if (body_tok(b, 0)->kind == BT_IDENT) b->i++;
            if (body_is(body_tok(b, 0), "{")) body_skip_group(b);
            base = true;
        } else if (body_is(t, "static") || body_is(t, "extern")) {
            persistent = true;
            b->i++;
        } else if (body_is(t, "typedef")) {
            is_typedef = true;
            b->i++;
        } else if (body_is(t, "_Static_assert") || body_is(t, "static_assert")) {
            b->i++;
            body_expr(b, EX_STMT);
            return;
        } else if (body_is_paren_kw(t)) {
            b->i++;
            if (body_is(body_tok(b, 0), "(")) body_skip_group(b);
            base = base || !body_is(t, "__attribute__");
        } else if (body_is_type_kw(t)) {
            base = true;
            b->i++;
        } else if (body_is_qual_kw(t)) {
            b->i++;
        } else if (body_is_keyword(t) || base) {
            break;
        } else {
            base = true;                       /* a typedef name */
            b->i++;
        }
    }
    for (;;) {
        uint32_t before = b->i;
        body_declarator(b, persistent, is_typedef);
        if (body_is(body_tok(b, 0), ",")) { b->i++; continue; }
        if (body_is(body_tok(b, 0), ";")) { b->i++; return; }
        if (b->i == before) b->i++;            /* not a declarator after all: resync */
        body_expr(b, EX_STMT);
        return;
    }
}

/* ---------------------------------------------------------------- statements */

static void body_stmt(Body *b);

/* Statements up to the closing '}' (consumed), in a scope of their own. */
static void body_block(Body *b) {
    size_t nvars = b->vars.len;
    while (!b->refused && body_tok(b, 0)->kind != BT_END && !body_is(body_tok(b, 0), "}")) {
        uint32_t before = b->i;
        body_stmt(b);
        if (b->i == before) b->i++;            /* never stuck */
    }
    if (body_is(body_tok(b, 0), "}")) b->i++;
    body_scope_end(b, nvars);
}

static void body_if(Body *b) {
    int join = body_ev_new(b, EV_NOP, -1, b->i);
    for (;;) {
        b->i++;                                /* if */
        body_cond(b);
        int br = b->cur;
        body_stmt(b);
        body_edge(b, b->cur, join);
        b->cur = br;
        if (!body_is(body_tok(b, 0), "else")) { body_edge(b, br, join); break; }
        b->i++;
        if (body_is(body_tok(b, 0), "if")) continue;   /* else if: no nesting */
        body_stmt(b);
        body_edge(b, b->cur, join);
        break;
    }
    b->cur = join;
}

/* The body of a loop: break leaves to exit, continue goes to cont. */
static void body_loop_body(Body *b, int exit, int cont) {
    int sbrk = b->brk, scont = b->cont;
    b->brk = exit;
    b->cont = cont;
    body_stmt(b);
    b->brk = sbrk;
    b->cont = scont;
}

static void body_while(Body *b) {
    b->i++;
    int head = body_emit(b, EV_NOP, -1, b->i);
    int konst = body_cond(b);
    int exit = body_ev_new(b, EV_NOP, -1, b->i), br = b->cur;
    body_loop_body(b, exit, head);
    body_edge(b, b->cur, head);
    if (konst != 1) body_edge(b, br, exit);
    b->cur = exit;
}

static void body_do(Body *b) {
    b->i++;
    int top = body_emit(b, EV_NOP, -1, b->i);
    int exit = body_ev_new(b, EV_NOP, -1, b->i), cont = body_ev_new(b, EV_NOP, -1, b->i);
    body_loop_body(b, exit, cont);
    body_place(b, cont);
    int konst = -1;
    if (body_is(body_tok(b, 0), "while")) { b->i++; konst = body_cond(b); }
    if (konst != 0) body_edge(b, b->cur, top);
    if (konst != 1) body_place(b, exit);
    else b->cur = exit;
    if (body_is(body_tok(b, 0), ";")) b->i++;
}

static void body_for(Body *b) {
    size_t nvars = b->vars.len;
    b->i++;
    if (!body_is(body_tok(b, 0), "(")) return;
    b->i++;
    if (body_is(body_tok(b, 0), ";")) b->i++;
    else if (body_is_decl(b)) body_decl(b);
    else body_expr(b, EX_STMT);
    int head = body_emit(b, EV_NOP, -1, b->i);
    bool forever = body_is(body_tok(b, 0), ";");
    body_expr(b, EX_STMT);
    uint32_t step = b->i, send = b->i;         /* the step runs after the body */
    int depth = 0;
    for (; send < b->end; send++) {
        const BTok *t = &b->t[send];
        if (body_is(t, "(")) depth++;
        else if (body_is(t, ")") && depth-- == 0) break;
        else if (body_is(t, "}") && depth == 0) break;
    }
    b->i = send < b->end && body_is(&b->t[send], ")") ? send + 1 : send;
    int exit = body_ev_new(b, EV_NOP, -1, b->i), cont = body_ev_new(b, EV_NOP, -1, b->i);
    int br = b->cur;
    body_loop_body(b, exit, cont);
    body_place(b, cont);
    uint32_t resume = b->i, end = b->end;
    b->i = step;
    b->end = send;
    body_expr(b, EX_RANGE);
    b->i = resume;
    b->end = end;
    body_edge(b, b->cur, head);
    if (!forever) body_edge(b, br, exit);
    b->cur = exit;
    body_scope_end(b, nvars);
}

static void body_switch(Body *b) {
    int32_t ssw = b->sw;
    int sbrk = b->brk;
    bool sdef = b->had_default;
    size_t ncases = b->cases.len;
    uint32_t sw = b->i++;
    body_cond(b);
    int dispatch = b->cur, exit = body_ev_new(b, EV_NOP, -1, b->i);
    b->sw = (int32_t)sw;
    b->brk = exit;
    b->had_default = false;
    b->cur = -1;                               /* only case labels enter */
    body_stmt(b);
    body_place(b, exit);
    for (size_t k = ncases; k < b->cases.len; k++)
        body_edge(b, dispatch, VEC_AT(b->cases, int, k));
    if (!b->had_default) body_edge(b, dispatch, exit);
    b->cases.len = ncases;
    b->sw = ssw;
    b->brk = sbrk;
    b->had_default = sdef;
}

/* Labels in front of a statement (`case X:`, `default:`, `name:`), read
** in a loop so that a long run of them does not nest. */
static void body_labels(Body *b) {
    for (;;) {
        const BTok *t = body_tok(b, 0);
        uint32_t at = b->i;
        if (body_is(t, "case")) {
            b->i++;
            body_expr(b, EX_CASE);
        } else if ((body_is(t, "default") || (t->kind == BT_IDENT && !body_is_keyword(t)))
                   && body_is(body_tok(b, 1), ":")) {
            b->i += 2;
        } else return;
        int e = body_emit(b, EV_NOP, -1, at);
        if (t->kind == BT_IDENT && !body_is_keyword(t)) {
            int *l = vec_push(&b->labels, sizeof(int[2]));
            l[0] = e;
            l[1] = (int)at;
        } else {
            *(int *)vec_push(&b->cases, sizeof(int)) = e;
            b->had_default |= body_is(t, "default");
        }
    }
}

/* break, continue, goto NAME: a jump; return: the end. */
static void body_jump(Body *b) {
    const BTok *t = body_tok(b, 0);
    b->i++;
    if (body_is(t, "return")) {
        body_expr(b, EX_STMT);
    } else {
        if (body_is(t, "break")) body_edge(b, b->cur, b->brk);
        else if (body_is(t, "continue")) body_edge(b, b->cur, b->cont);
        else if (body_tok(b, 0)->kind == BT_IDENT) {
            int *g = vec_push(&b->gotos, sizeof(int[2]));
            g[0] = b->cur;
            g[1] = (int)b->i++;
        }
        body_expr(b, EX_STMT);
    }
    b->cur = -1;
}

static void body_stmt(Body *b) {
    body_labels(b);
    const BTok *t = body_tok(b, 0);
    if (++b->nest > BODY_MAX_NEST) {
        if (!b->refused)
            diag_error(b->dc, t->pos, "statements nested more than %d deep in a node body "
                       "(agdfc's limit)", BODY_MAX_NEST);
        b->refused = true;
    } else if (body_is(t, "{")) {
        b->i++;
        body_block(b);
    } else if (body_is(t, ";")) {
        b->i++;
    } else if (body_is(t, "if")) body_if(b);
    else if (body_is(t, "while")) body_while(b);
    else if (body_is(t, "do")) body_do(b);
    else if (body_is(t, "for")) body_for(b);
    else if (body_is(t, "switch")) body_switch(b);
    else if (body_is(t, "break") || body_is(t, "continue") || body_is(t, "return")
             || body_is(t, "goto")) body_jump(b);
    else if (body_is(t, "else")) b->i++;       /* stray */
    else if (body_is_decl(b)) body_decl(b);
    else body_expr(b, EX_STMT);
    b->nest--;
}

/* ---------------------------------------------------------------- the checks */

/* Analysis 2: a body returns AGDF_DONE and nothing else; another value
** would end the task silently (the drain loop takes it for a suspension). */
static void body_check_returns(DiagCtx *dc, const BTok *t, size_t nt) {
    for (size_t i = 0; i < nt; i++) {
        if (!body_is(&t[i], "return")) continue;
        size_t k = i + 1;
        bool paren = k < nt && body_is(&t[k], "(");
        if (paren) k++;
        bool ok = k < nt && body_is(&t[k], "AGDF_DONE");
        if (ok && paren) ok = ++k < nt && body_is(&t[k], ")");
        if (ok) ok = ++k < nt && body_is(&t[k], ";");
        if (ok) continue;
        if (i + 1 < nt && body_is(&t[i + 1], ";"))
            diag_error(dc, t[i].pos, "'return;' in a node body: a body must return "
                       "AGDF_DONE (write 'return AGDF_DONE;' to end the invocation early)");
        else
            diag_error(dc, t[i].pos, "a node body may only return AGDF_DONE: any other "
                       "value ends its task silently (use AGDF_RAISE(...) to report an "
                       "error, 'return AGDF_DONE;' to end the invocation early)");
    }
}

/* A may-analysis over the events: bit sets of facts, `in` holding before
** each event, joined by union along the edges (a fact holds when it holds
** on some path); solved by a worklist to the fixpoint. */
typedef struct Flow {
    const Body *b;
    size_t nev, words;       /* events; 64-bit words per set */
    int *pbase, *preds;      /* predecessors of x: preds[pbase[x] .. pbase[x + 1]) */
    int *queue, *seen;       /* the worklist, then the searches' queue and marks */
    uint64_t *in;            /* nev sets: the facts before each event */
    int stamp;               /* the current search's mark in seen */
} Flow;

/* Transfer function: turns the facts before ev into those after it. */
typedef void BodyXfer(const Ev *ev, uint64_t *set, size_t words);

/* Solves the flow of nbits facts; false (nothing allocated) when the sets
** would pass BODY_MAX_WORDS. */
static bool body_flow_solve(Flow *f, const Body *b, size_t nbits, BodyXfer *xfer) {
    size_t nev = b->ev.len, words = (nbits + 63) / 64, nedges = b->edges.len;
    if (nev * words > BODY_MAX_WORDS) return false;
    const int (*edge)[2] = b->edges.data;
    memset(f, 0, sizeof *f);
    f->b = b;
    f->nev = nev;
    f->words = words;
    int *sbase = calloc(nev + 1, sizeof(int)), *succs = malloc((nedges + 1) * sizeof(int));
    int *sfill = calloc(nev + 1, sizeof(int)), *pfill = calloc(nev + 1, sizeof(int));
    f->pbase = calloc(nev + 1, sizeof(int));
    f->preds = malloc((nedges + 1) * sizeof(int));
    f->queue = malloc((nev + 1) * sizeof(int));
    f->seen = calloc(nev + 1, sizeof(int));
    f->in = calloc(nev * words, sizeof(uint64_t));
    uint64_t *out = malloc(words * sizeof(uint64_t));
    bool *queued = malloc(nev + 1);
    if (!sbase || !succs || !sfill || !pfill || !f->pbase || !f->preds || !f->queue
        || !f->seen || !f->in || !out || !queued)
        util_oom();
    int *pbase = f->pbase, *queue = f->queue;
    for (size_t k = 0; k < nedges; k++) { sbase[edge[k][0] + 1]++; pbase[edge[k][1] + 1]++; }
    for (size_t x = 0; x < nev; x++) { sbase[x + 1] += sbase[x]; pbase[x + 1] += pbase[x]; }
    for (size_t k = 0; k < nedges; k++) {
        succs[sbase[edge[k][0]] + sfill[edge[k][0]]++] = edge[k][1];
        f->preds[pbase[edge[k][1]] + pfill[edge[k][1]]++] = edge[k][0];
    }
    size_t head = 0, count = nev;                /* a ring of nev slots */
    for (size_t x = 0; x < nev; x++) { queue[x] = (int)x; queued[x] = true; }
    while (count > 0) {
        int x = queue[head];
        head = (head + 1) % nev;
        count--;
        queued[x] = false;
        memcpy(out, f->in + (size_t)x * words, words * sizeof(uint64_t));
        xfer(&VEC_AT(b->ev, Ev, x), out, words);
        for (int k = sbase[x]; k < sbase[x + 1]; k++) {
            uint64_t *s = f->in + (size_t)succs[k] * words;
            bool changed = false;
            for (size_t w = 0; w < words; w++)
                if (out[w] & ~s[w]) { s[w] |= out[w]; changed = true; }
            if (changed && !queued[succs[k]]) {
                queue[(head + count) % nev] = succs[k];
                queued[succs[k]] = true;
                count++;
            }
        }
    }
    free(sbase); free(succs); free(sfill); free(pfill); free(out); free(queued);
    return true;
}

static void body_flow_free(Flow *f) {
    free(f->pbase); free(f->preds); free(f->queue); free(f->seen); free(f->in);
}

static bool body_flow_has(const Flow *f, size_t x, size_t bit) {
    return f->in[x * f->words + bit / 64] >> (bit % 64) & 1;
}

/* What a backward search makes of event p: found, a dead end, or a step
** (taken when the search's fact holds before p). */
enum { BACK_STEP, BACK_FOUND, BACK_STOP };
typedef int BodyBack(const Flow *f, int p, int var);

/* The nearest event before e that back() finds, going backwards along
** events before which fact bit holds; -1: none. */
static int body_flow_back(Flow *f, int e, size_t bit, BodyBack *back, int var) {
    int head = 0, tail = 0, stamp = ++f->stamp;
    f->queue[tail++] = e;
    f->seen[e] = stamp;
    while (head < tail) {
        int x = f->queue[head++];
        for (int k = f->pbase[x]; k < f->pbase[x + 1]; k++) {
            int p = f->preds[k];
            if (f->seen[p] == stamp) continue;
            f->seen[p] = stamp;
            int what = back(f, p, var);
            if (what == BACK_FOUND) return p;
            if (what == BACK_STEP && body_flow_has(f, (size_t)p, bit)) f->queue[tail++] = p;
        }
    }
    return -1;
}

/* Analysis 3: which locals may be stale where they are read.  Fact v: a
** suspension since local v was last declared or assigned.  One warning per
** local, at its first stale read, with the suspension it comes from. */
static void body_locals_xfer(const Ev *ev, uint64_t *set, size_t words) {
    if (ev->kind == EV_SUSP) memset(set, 0xff, words * sizeof(uint64_t));
    if (ev->kind == EV_DECL || ev->kind == EV_ASSIGN)
        set[ev->var / 64] &= ~(1ull << (ev->var % 64));
}

static int body_locals_back(const Flow *f, int p, int v) {
    const Ev *ev = &VEC_AT(f->b->ev, Ev, p);
    if (ev->kind == EV_SUSP) return BACK_FOUND;
    return (ev->kind == EV_DECL || ev->kind == EV_ASSIGN) && ev->var == v ? BACK_STOP : BACK_STEP;
}

static void body_check_locals(Body *b) {
    Flow f;
    if (b->nlocals == 0 || !body_flow_solve(&f, b, (size_t)b->nlocals, body_locals_xfer)) return;
    const Ev *ev = b->ev.data;
    bool *warned = calloc((size_t)b->nlocals, 1);
    if (!warned) util_oom();
    for (size_t x = 0; x < f.nev; x++) {
        int v = ev[x].var;
        if (ev[x].kind != EV_READ || warned[v] || !body_flow_has(&f, x, (size_t)v)) continue;
        int s = body_flow_back(&f, (int)x, (size_t)v, body_locals_back, v);
        if (s < 0) continue;
        warned[v] = true;
        const BTok *r = &b->t[ev[x].tok], *m = &b->t[ev[s].tok];
        diag_warning(b->dc, r->pos, "local '%.*s' is read after %.*s (line %u), which it does "
                     "not survive: keep it in a state field, or assign it again after the "
                     "suspension", (int)r->len, r->s, (int)m->len, m->s, (unsigned)m->pos.line);
        diag_note(b->dc, m->pos, "'%.*s' loses its value at this suspension", (int)r->len, r->s);
    }
    free(warned);
    body_flow_free(&f);
}

/* Analysis 4: copied parameters read after a change lost at a suspension.
** Two facts per parameter p: bit 2p "changed" (assigned since the body's
** entry or the last resume: the local copy differs from the item) and bit
** 2p+1 "lost" (a suspension came after such a change, and the resume read
** the item's value again).  A change sets changed and clears lost; `&p` or
** the fresh mark clears lost; a suspension moves every changed into lost
** (lost |= changed, changed = 0).  Both bits of p share a word. */
#define BODY_EVEN_BITS 0x5555555555555555ull

static void body_params_xfer(const Ev *ev, uint64_t *set, size_t words) {
    if (ev->kind == EV_SUSP)
        for (size_t w = 0; w < words; w++)
            set[w] = (set[w] | (set[w] & BODY_EVEN_BITS) << 1) & ~BODY_EVEN_BITS;
    if (ev->kind != EV_PCHANGE && ev->kind != EV_PFRESH) return;
    size_t bit = 2 * (size_t)ev->var;
    uint64_t changed = 1ull << (bit % 64), lost = 2ull << (bit % 64);
    if (ev->kind == EV_PCHANGE) set[bit / 64] = (set[bit / 64] | changed) & ~lost;
    if (ev->kind == EV_PFRESH) set[bit / 64] &= ~lost;
}

/* Back from a lost read: to a suspension that found p changed. */
static int body_lost_back(const Flow *f, int x, int p) {
    const Ev *ev = &VEC_AT(f->b->ev, Ev, x);
    if (ev->kind == EV_SUSP && body_flow_has(f, (size_t)x, 2 * (size_t)p)) return BACK_FOUND;
    bool remade = (ev->kind == EV_PCHANGE || ev->kind == EV_PFRESH) && ev->var == p;
    return remade ? BACK_STOP : BACK_STEP;
}

/* Back from that suspension: to the change. */
static int body_change_back(const Flow *f, int x, int p) {
    const Ev *ev = &VEC_AT(f->b->ev, Ev, x);
    if (ev->kind == EV_PCHANGE && ev->var == p) return BACK_FOUND;
    return ev->kind == EV_SUSP ? BACK_STOP : BACK_STEP;
}

static void body_check_params(Body *b) {
    Flow f;
    if (b->nparams == 0 || !body_flow_solve(&f, b, 2 * (size_t)b->nparams, body_params_xfer))
        return;
    const Ev *ev = b->ev.data;
    bool *warned = calloc((size_t)b->nparams, 1);
    if (!warned) util_oom();
    for (size_t x = 0; x < f.nev; x++) {
        int p = ev[x].var;
        if (ev[x].kind != EV_PREAD || warned[p] || !body_flow_has(&f, x, 2 * (size_t)p + 1))
            continue;
        int s = body_flow_back(&f, (int)x, 2 * (size_t)p + 1, body_lost_back, p);
        int c = s < 0 ? -1 : body_flow_back(&f, s, 2 * (size_t)p, body_change_back, p);
        if (c < 0) continue;
        warned[p] = true;
        const BTok *r = &b->t[ev[x].tok], *m = &b->t[ev[s].tok], *a = &b->t[ev[c].tok];
        diag_warning(b->dc, r->pos, "parameter '%.*s' is read after %.*s (line %u), where its "
                     "change (line %u) is lost: %.*s is copied from the item at every resume "
                     "(see docs/language.md §8); keep the changed value in a state field",
                     (int)r->len, r->s, (int)m->len, m->s, (unsigned)m->pos.line,
                     (unsigned)a->pos.line, (int)r->len, r->s);
        diag_note(b->dc, m->pos, "'%.*s' gets the item's value again after this suspension",
                  (int)r->len, r->s);
        diag_note(b->dc, a->pos, "'%.*s' is changed here", (int)r->len, r->s);
    }
    free(warned);
    body_flow_free(&f);
}

/* Brings n's copied parameters into scope (outermost: a local of the same
** name hides one), each with a parameter id; in-place ones are not
** followed, as their changes survive. */
static void body_declare_params(Body *b, const Node *n) {
    if (!b->types->g || n->nparams == 0) return;
    b->pnames = calloc((size_t)n->nparams, sizeof(BTok));
    if (!b->pnames) util_oom();
    for (int k = 0; k < n->nparams; k++) {
        if (body_param_in_place(b->types->g, n, k)) continue;
        BTok *t = &b->pnames[k];
        t->s = n->params[k].name;
        t->len = (uint32_t)strlen(t->s);
        t->kind = BT_IDENT;
        Var *v = t->len ? body_scope_add(b, t) : NULL;
        if (v) v->param = b->nparams++;
    }
}

void body_check(const Node *n, const BodyTypes *types, DiagCtx *dc) {
    if (!n->body) return;
    Vec toks = { 0 };
    body_tokenize(n->body, n->body_pos, &toks, false);
    body_check_returns(dc, toks.data, toks.len);
    Body b;
    memset(&b, 0, sizeof b);
    b.dc = dc;
    b.types = types;
    b.t = toks.data;
    b.nt = b.end = (uint32_t)toks.len;
    b.sw = -1;
    b.brk = b.cont = -1;
    b.cur = body_ev_new(&b, EV_NOP, -1, 0);    /* the entry */
    body_declare_params(&b, n);
    while (!b.refused && b.i < b.end) {
        uint32_t before = b.i;
        body_stmt(&b);
        if (b.i == before) b.i++;              /* a stray '}' */
    }
    const int (*g)[2] = b.gotos.data, (*l)[2] = b.labels.data;
    if (b.gotos.len * b.labels.len > BODY_MAX_WORDS) b.no_locals = true;  /* quadratic below */
    for (size_t k = 0; !b.no_locals && k < b.gotos.len; k++)
        for (size_t j = 0; j < b.labels.len; j++)
            if (b.t[g[k][1]].len == b.t[l[j][1]].len
                && memcmp(b.t[g[k][1]].s, b.t[l[j][1]].s, b.t[l[j][1]].len) == 0)
                body_edge(&b, g[k][0], l[j][0]);
    if (!b.no_locals && !b.refused) {
        body_check_locals(&b);
        body_check_params(&b);
    }
    vec_free(&b.ev);
    vec_free(&b.edges);
    vec_free(&b.vars);
    vec_free(&b.cases);
    vec_free(&b.gotos);
    vec_free(&b.labels);
    free(b.name_key);
    free(b.name_var);
    free(b.pnames);
    vec_free(&toks);
}

/* ---------------------------------------------------------------- parameters in place */

/* Identifiers the runtime's macros (runtime/agdf.h) write when they expand
** inside a body, other than C keywords and the reserved agdf and __ names:
** member names (agdf_o->in, self->agdf.lc, ...), the library functions they
** call, their attribute words.  An alias macro of such a name would replace
** them too.  test_body_alias.c reads runtime/agdf.h and fails when a macro
** there uses a name this list lacks. */
static const char *const body_runtime_names[] = {
    "NULL", "always_inline", "busy", "events", "format", "in", "lc", "memcpy", "n", "nin",
    "nout", "out", "p", "printf", "self",
};

static bool body_tok_is(const BTok *t, const char *s, size_t len) {
    return t->len == len && memcmp(t->s, s, len) == 0;
}

/* Keywords after which an identifier is an operand: `return v`, `sizeof v`,
** `if (*v)`; the AGDF_ macros take expressions too. */
static bool body_before_operand(const BTok *t) {
    static const char *const kw[] = {
        "return", "sizeof", "case", "else", "do", "if", "while", "switch", "for",
        "_Alignof", "alignof",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (body_tok_is(t, kw[i], strlen(kw[i]))) return true;
    return t->len > 5 && memcmp(t->s, "AGDF_", 5) == 0;
}

#define BODY_ALIAS_WALK 4096         /* tokens a backward look may cross; more: no alias */

/* Token i is followed by ':' that ends the middle operand of a `?:`: back
** to its '?' at the same bracket depth, before any ';', '{', '}' or ','. */
static bool body_in_conditional(const BTok *t, size_t i) {
    int depth = 0, colons = 0;
    for (size_t j = i, n = 0; j-- > 0 && n < BODY_ALIAS_WALK; n++) {
        const BTok *x = &t[j];
        if (body_is(x, ")") || body_is(x, "]")) depth++;
        else if (body_is(x, "(") || body_is(x, "[")) { if (depth-- == 0) return false; }
        else if (depth > 0) continue;
        else if (body_is(x, ";") || body_is(x, "{") || body_is(x, "}") || body_is(x, ","))
            return false;
        else if (body_is(x, ":")) colons++;
        else if (body_is(x, "?") && colons-- == 0) return true;
    }
    return false;
}

/* Token i is ')' closing the argument of typeof, __attribute__, _Alignas or
** _Atomic: what follows it is declared. */
static bool body_closes_type_paren(const BTok *t, size_t i) {
    int depth = 0;
    for (size_t j = i + 1, n = 0; j-- > 0 && n < BODY_ALIAS_WALK; n++) {
        if (body_is(&t[j], ")")) depth++;
        else if (body_is(&t[j], "(") && --depth == 0)
            return j > 0 && (t[j - 1].cls & BK_PAREN);
    }
    return true;                               /* too far to tell: say yes */
}

/* Whether token i, the parameter's name, is certainly a use of the
** parameter in an expression (see body_param_in_place for the shapes). */
static bool body_plain_use(const BTok *t, size_t nt, size_t i) {
    const BTok *prev = i > 0 ? &t[i - 1] : NULL, *next = i + 1 < nt ? &t[i + 1] : NULL;
    if (t[i].pp) return false;
    if (next && (next->kind != BT_PUNCT || body_is(next, "(")
                 || (body_is(next, ":") && !body_in_conditional(t, i))))
        return false;
    if (!prev) return true;
    if (prev->kind == BT_LIT || body_is(prev, ".") || body_is(prev, "->")) return false;
    if (prev->kind == BT_IDENT) return body_before_operand(prev);
    if (body_is(prev, ")")) return !body_closes_type_paren(t, i - 1);
    if (!body_is(prev, "*")) return true;
    size_t j = i - 1;                          /* `T *v`, `T **v`, `T (*v)`: back over them */
    while (j > 0 && (body_is(&t[j], "*") || body_is(&t[j], "(")) && i - j < BODY_ALIAS_WALK) j--;
    if (i - j >= BODY_ALIAS_WALK) return false;
    if (body_is(&t[j], "*") || body_is(&t[j], "(")) return true;   /* the body's first tokens */
    return t[j].kind == BT_PUNCT || (t[j].kind == BT_IDENT && body_before_operand(&t[j]));
}

/* Whether name (len bytes) is a token of text, skipped groups included: 0
** no, 1 yes, 2 on a directive line (a macro could expand to it); strstr
** first, as most texts lack it. */
static int body_text_has(const char *text, SrcPos pos, const char *name, size_t len) {
    if (!strstr(text, name)) return 0;
    Vec toks = { 0 };
    body_tokenize(text, pos, &toks, true);
    const BTok *t = toks.data;
    int found = 0;
    for (size_t i = 0; i < toks.len && found < 2; i++)
        if (t[i].kind == BT_IDENT && body_tok_is(&t[i], name, len))
            found = t[i].pp ? 2 : 1;
    vec_free(&toks);
    return found;
}

/* A name the generated code or the runtime's macros also write inside a
** body: the item members v0, v1, ... (which the alias macros themselves
** name), the graph's own G_* names, body_runtime_names. */
static bool body_name_generated(const Graph *g, const char *name, size_t len) {
    size_t d = 1, gl = strlen(g->name);
    while (name[0] == 'v' && d < len && name[d] >= '0' && name[d] <= '9') d++;
    if (name[0] == 'v' && len > 1 && d == len) return true;
    if (len > gl && memcmp(name, g->name, gl) == 0 && name[gl] == '_') return true;
    for (size_t i = 0; i < sizeof body_runtime_names / sizeof body_runtime_names[0]; i++)
        if (strcmp(name, body_runtime_names[i]) == 0) return true;
    return false;
}

/* How the generated body of nd may read parameter k: in place through
** `#define NAME (agdf_i->vK)` around the body text (ALIAS), in place with
** each use of NAME in the text rewritten to `(agdf_i->vK)` (REWRITE), or a
** copy.  The macro is textual, so every occurrence of NAME in the body must
** mean the parameter, and the slot agdf_i points at must stay the item's
** while the body runs.  A copy, when:
**
**   - nd has no body in the .agdf (a C-file node gets its arguments as
**     values), or k is not a parameter of it;
**   - nd is an input node: a body may agdf_push into its own queue and
**     overwrite the slot it reads; or nd has an edge to itself (check.c
**     refuses self-edges and cycles, so none reaches the emitter: guarded
**     all the same, as the cost is one loop);
**   - the type is written with '[' or '(' (array, function pointer);
**   - NAME is written by the generated code or the runtime's macros in a
**     body (body_name_generated), or is a token of a directive line of a
**     verbatim block, whose macros could expand to a member, declaration or
**     use of that name;
**   - an occurrence of NAME in the body, read with directive lines and
**     every #if branch, is not a plain operand (body_plain_use): on a
**     directive line; after a literal, an identifier or keyword
**     (`goto v`, `struct v`, `T v`, `const long v`) other than return,
**     sizeof, case, else, do, if, while, switch, for, _Alignof, AGDF_*;
**     after '*'s and '('s that follow such a word (`T *v`, `T (*v)`; also
**     `a * v` and `f(*v)`, false alarms that only cost a copy); after the
**     ')' of typeof(...) or __attribute__((...)); before '(' (a call, a
**     function-like macro), an identifier or literal, or ':' (a label, a
**     bit-field) unless it ends the middle of a `? :`.
**
** An occurrence after '.' or '->' (not on a directive line) is a member,
** which the macro would replace too, and so would it a token of a verbatim
** block's text (`b.v` in a function there, whose text follows the body's
** macro if it is inlined, `long v;` of a type): then REWRITE, if no use sits
** inside the
** parentheses of a call of anything but a C keyword or a suspending or
** raising AGDF_ macro (body_rewrite_safe: a user's function-like macro could
** stringify or paste its argument, `#x`, and see the rewritten text), else a
** copy.
**
** `v[i]` (a pointer parameter indexed), `&v`, `v++` and `v = v + 1` are
** uses: the slot belongs to the invocation.  A declaration these rules miss
** (`int a, v;`, `enum { v }`, `int (v);`) cannot change the meaning of the
** program: the macro turns its declarator into `(agdf_i->vK)`, and no
** declarator contains '->', so the C compiler stops there with an error at
** the body's line instead.  Every doubt answers false, which only costs
** the copy the generated code made before. */
/* Whether token i, a use of a parameter to be rewritten, sits in no call's
** parentheses but those of a C keyword (`if (`, `sizeof (`) or of an AGDF_
** macro that suspends or raises (none of which stringifies or pastes its
** arguments): a user's function-like macro could turn the rewritten text
** into a string or a pasted name.  `(*fp)(v)` is a call of an expression,
** no macro.  Too far back to tell: no. */
static bool body_rewrite_safe(const BTok *t, size_t i) {
    int depth = 0;
    for (size_t j = i, n = 0; j-- > 0; n++) {
        if (n >= BODY_ALIAS_WALK) return false;
        if (body_is(&t[j], ")")) depth++;
        else if (body_is(&t[j], "(") && depth-- == 0) {
            depth = 0;
            const BTok *f = j > 0 ? &t[j - 1] : NULL;
            if (f && f->kind == BT_IDENT && !(f->cls & (BK_C | BK_SUSP))
                && !body_tok_is(f, "AGDF_RAISE", 10))
                return false;
        }
    }
    return true;
}

/* Whether token i is a member name: after '.' or '->', not on a directive
** line. */
static bool body_member(const BTok *t, size_t i) {
    return i > 0 && !t[i].pp && (body_is(&t[i - 1], ".") || body_is(&t[i - 1], "->"));
}

BodyParamMode body_param_mode(const Graph *g, const Node *nd, int k) {
    if (!nd->body || nd->input || k < 0 || k >= nd->nparams) return BODY_PARAM_COPY;
    for (int s = 0; s < nd->nsucc; s++)
        if (nd->succ[s] == nd->id) return BODY_PARAM_COPY;
    const Param *pm = &nd->params[k];
    const char *name = pm->name;
    size_t len = strlen(name);
    if (len == 0 || strpbrk(pm->type.text, "[(") || body_name_generated(g, name, len))
        return BODY_PARAM_COPY;
    bool rewrite = false;                      /* the macro would reach further than the uses */
    for (size_t v = 0; v < g->verbatims.len; v++) {
        const Verbatim *vb = &VEC_AT(g->verbatims, Verbatim, v);
        int has = body_text_has(vb->text, vb->pos, name, len);
        if (has == 2) return BODY_PARAM_COPY;
        rewrite |= has == 1;
    }
    Vec toks = { 0 };
    body_tokenize(nd->body, nd->body_pos, &toks, true);
    const BTok *t = toks.data;
    bool ok = true;
    for (size_t i = 0; i < toks.len && ok; i++) {
        if (t[i].kind != BT_IDENT || !body_tok_is(&t[i], name, len)) continue;
        if (body_member(t, i)) rewrite = true;
        else ok = body_plain_use(t, toks.len, i);
    }
    for (size_t i = 0; i < toks.len && ok && rewrite; i++)
        if (t[i].kind == BT_IDENT && body_tok_is(&t[i], name, len) && !body_member(t, i))
            ok = body_rewrite_safe(t, i);
    vec_free(&toks);
    return !ok ? BODY_PARAM_COPY : rewrite ? BODY_PARAM_REWRITE : BODY_PARAM_ALIAS;
}

bool body_param_in_place(const Graph *g, const Node *nd, int k) {
    return body_param_mode(g, nd, k) != BODY_PARAM_COPY;
}

char *body_rewrite_params(const Node *nd, const BodyParamMode *modes) {
    bool any = false;
    for (int k = 0; k < nd->nparams; k++)
        any |= modes[k] == BODY_PARAM_REWRITE;
    if (!any) return NULL;
    Vec toks = { 0 };
    body_tokenize(nd->body, nd->body_pos, &toks, true);
    const BTok *t = toks.data;
    size_t n = strlen(nd->body), at = 0, o = 0;
    char *out = malloc(n + toks.len * 24 + 1);  /* "(agdf_i->v" + an int + ")" per token at most */
    if (!out) util_oom();
    for (size_t i = 0; i < toks.len; i++) {
        if (t[i].kind != BT_IDENT || body_member(t, i)) continue;
        for (int k = 0; k < nd->nparams; k++) {
            if (modes[k] != BODY_PARAM_REWRITE
                || !body_tok_is(&t[i], nd->params[k].name, strlen(nd->params[k].name)))
                continue;
            size_t s = (size_t)(t[i].s - nd->body);
            memcpy(out + o, nd->body + at, s - at);
            o += s - at;
            o += (size_t)sprintf(out + o, "(agdf_i->v%d)", k);
            at = s + t[i].len;
            break;
        }
    }
    memcpy(out + o, nd->body + at, n - at + 1);
    vec_free(&toks);
    return out;
}
