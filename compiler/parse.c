/*
** parse.c — builds the Graph for the grammar's actions (grammar/parser.y).
**
** The grammar hands over raw tokens and arena linked lists; this file turns
** them into the arrays and strings of agdfc.h: it normalises C types so that
** two spellings of one type compare equal with strcmp ("char*" and
** "char *" both become "char *"), splits a parameter's words into type and
** name, splits the raw argument list of a `start` statement at its
** top-level commas (nested brackets, literals and comments respected), and
** records where everything was written.  It reports only what the grammar
** cannot express (a parameter without a type, `graph` declared twice);
** everything about meaning is left to check.c.
*/
#include <string.h>

#include "agdfc.h"
#include "parse.h"
#include "parser.h"

/* List cells are recycled once their list has been turned into an array,
** so the memory for them stays the size of one declaration's lists instead
** of growing with the file (a large share of a big graph's memory). */
PCell *parse_cell(ParseCtx *c) {
    PCell *cell = c->free_cells;
    if (!cell) return arena_alloc(c->a, sizeof(PCell));
    c->free_cells = cell->next;
    memset(cell, 0, sizeof *cell);
    return cell;
}

static void parse_recycle(ParseCtx *c, PList l) {
    if (!l.head) return;
    l.tail->next = c->free_cells;
    c->free_cells = l.head;
}

PList parse_list_empty(void) {
    PList l = { NULL, NULL, 0 };
    return l;
}

PList parse_list_one(ParseCtx *c, PCell *cell) {
    return parse_list_add(c, parse_list_empty(), cell);
}

/* A NULL cell (a piece that already produced an error) is left out. */
PList parse_list_add(ParseCtx *c, PList l, PCell *cell) {
    (void)c;
    if (!cell) return l;
    cell->next = NULL;
    if (l.tail) l.tail->next = cell;
    else l.head = cell;
    l.tail = cell;
    l.n++;
    return l;
}

char *parse_tok_str(ParseCtx *c, const Token *t) {
    return arena_strndup(c->a, t->text, t->len);
}

PCell *parse_word(ParseCtx *c, const Token *t) {
    PCell *cell = parse_cell(c);
    cell->u.tok = *t;
    return cell;
}

/* Joins the first n words with single spaces, except after a '*': "char *",
** "char **", "const char *const". */
static const char *parse_type_text(ParseCtx *c, const PCell *w, int n) {
    size_t len = 0;
    const PCell *p = w;
    for (int i = 0; i < n; i++, p = p->next) len += p->u.tok.len + 1;
    char *s = arena_alloc(c->a, len + 1), *o = s;
    bool after_star = true;               /* no space before the first word */
    for (p = w; n-- > 0; p = p->next) {
        if (!after_star) *o++ = ' ';
        memcpy(o, p->u.tok.text, p->u.tok.len);
        o += p->u.tok.len;
        after_star = p->u.tok.kind == TK_STAR;
    }
    *o = '\0';
    return s;
}

PCell *parse_type(ParseCtx *c, PList words) {
    CType t = { parse_type_text(c, words.head, words.n), words.head->u.tok.pos };
    parse_recycle(c, words);
    PCell *cell = parse_cell(c);
    cell->u.type = t;
    return cell;
}

/* A parameter is its words: all but the last are the type, the last (an
** identifier) the name.  A lone `void` is kept as a marker (name NULL) for
** parse_add_node: `node f(void)` means no parameters, as in C. */
static PCell *parse_param_of(ParseCtx *c, PList words);

PCell *parse_param(ParseCtx *c, PList words) {
    PCell *cell = parse_param_of(c, words);
    parse_recycle(c, words);
    return cell;
}

static PCell *parse_param_of(ParseCtx *c, PList words) {
    const Token *last = &words.tail->u.tok;
    if (words.n == 1 && last->len == 4 && memcmp(last->text, "void", 4) == 0) {
        PCell *cell = parse_cell(c);
        cell->u.param.type.text = "void";
        cell->u.param.type.pos = last->pos;
        cell->u.param.pos = last->pos;
        return cell;
    }
    if (last->kind == TK_STAR) {
        diag_error(c->dc, last->pos, "expected a parameter name after '*'");
        return NULL;
    }
    if (words.n == 1) {
        char *w = parse_tok_str(c, last);
        if (names_is_c_keyword(w))
            diag_error(c->dc, last->pos, "missing parameter name after type '%s'", w);
        else
            diag_error(c->dc, last->pos,
                       "parameter '%s' has no type (write 'TYPE %s', as in C)", w, w);
        return NULL;
    }
    PCell *cell = parse_cell(c);
    cell->u.param.type.text = parse_type_text(c, words.head, words.n - 1);
    cell->u.param.type.pos = words.head->u.tok.pos;
    cell->u.param.name = parse_tok_str(c, last);
    cell->u.param.pos = last->pos;
    return cell;
}

PCell *parse_attr(ParseCtx *c, const Token *name, const Token *value) {
    PCell *cell = parse_cell(c);
    Attr *a = &cell->u.attr;
    a->name = parse_tok_str(c, name);
    a->pos = name->pos;
    a->vpos = value->pos;
    a->ival = value->ival;
    a->sval = parse_tok_str(c, value);
    switch (value->kind) {
    case TK_INT: a->kind = ATTR_INT; break;
    case TK_TRUE: a->kind = ATTR_BOOL; a->ival = 1; break;
    case TK_FALSE: a->kind = ATTR_BOOL; a->ival = 0; break;
    default: a->kind = ATTR_IDENT; break;
    }
    return cell;
}

static Attr *parse_attr_array(ParseCtx *c, PList l) {
    Attr *v = arena_alloc(c->a, (size_t)l.n * sizeof *v + 1);
    int i = 0;
    for (PCell *p = l.head; p; p = p->next) v[i++] = p->u.attr;
    return v;
}

void parse_set_graph(ParseCtx *c, const Token *name, PList attrs) {
    Graph *g = c->g;
    if (g->declared) {
        diag_error(c->dc, name->pos, "graph declared twice");
        diag_note(c->dc, c->graph_first, "first declared here");
        return;
    }
    g->declared = true;
    g->name = parse_tok_str(c, name);
    g->pos = name->pos;
    g->attrs = parse_attr_array(c, attrs);
    g->nattrs = attrs.n;
    c->graph_first = name->pos;
    parse_recycle(c, attrs);
}

static void parse_node_params(ParseCtx *c, Node *n, PList params) {
    n->params = arena_alloc(c->a, (size_t)params.n * sizeof(Param) + 1);
    for (PCell *p = params.head; p; p = p->next) {
        if (!p->u.param.name) {                      /* `void` */
            if (params.n > 1)
                diag_error(c->dc, p->u.param.pos, "'void' must be the only parameter");
            continue;
        }
        n->params[n->nparams++] = p->u.param;
    }
}

static void parse_node_outs(ParseCtx *c, Node *n, PList outs, bool tuple) {
    n->out_tuple = tuple;
    n->outs = arena_alloc(c->a, (size_t)outs.n * sizeof(CType) + 1);
    if (!tuple && outs.n == 1 && strcmp(outs.head->u.type.text, "void") == 0)
        return;                                       /* `-> void`: no value */
    for (PCell *p = outs.head; p; p = p->next) n->outs[n->nouts++] = p->u.type;
}

/* The text of a `{...}` token starts one byte after its brace. */
static SrcPos parse_after(const Token *t, uint32_t nbytes) {
    SrcPos p = t->pos;
    p.col += nbytes;
    return p;
}

void parse_add_node(ParseCtx *c, const Token *name, PList params, PList outs,
                    bool tuple, PList attrs, const Token *state, const Token *body,
                    const Token *on_close) {
    Node *n = vec_push(&c->g->nodes, sizeof(Node));
    n->id = (int)c->g->nodes.len - 1;
    n->name = parse_tok_str(c, name);
    n->pos = name->pos;
    parse_node_params(c, n, params);
    parse_node_outs(c, n, outs, tuple);
    n->attrs = parse_attr_array(c, attrs);
    n->nattrs = attrs.n;
    if (state) {
        n->state = parse_tok_str(c, state);
        n->state_pos = parse_after(state, 1);
    }
    if (body) {
        n->body = parse_tok_str(c, body);
        n->body_pos = parse_after(body, 1);
    }
    if (on_close) {
        n->on_close = parse_tok_str(c, on_close);
        n->on_close_pos = parse_after(on_close, 1);
    }
    n->max_tasks = 1;
    n->queue_size = 10000;
    n->halt_on_exception = -1;
    parse_recycle(c, params);
    parse_recycle(c, outs);
    parse_recycle(c, attrs);
}

void parse_add_edge(ParseCtx *c, const Token *from, const Token *to) {
    Edge *e = vec_push(&c->g->edges, sizeof(Edge));
    e->from = parse_tok_str(c, from);
    e->to = parse_tok_str(c, to);
    e->from_pos = from->pos;
    e->to_pos = to->pos;
    e->from_id = e->to_id = -1;
}

void parse_add_verbatim(ParseCtx *c, const Token *t, bool header) {
    Verbatim *v = vec_push(&c->g->verbatims, sizeof(Verbatim));
    v->text = parse_tok_str(c, t);
    v->pos = parse_after(t, header ? 8 : 2);
    v->header = header;
}

/* The text of a %usage{ %} block: the --main program's --help shows it. */
void parse_set_usage(ParseCtx *c, const Token *t) {
    SrcPos pos = parse_after(t, 7);
    if (c->g->usage) {
        diag_error(c->dc, t->pos, "a second %%usage{ %%} block");
        diag_note(c->dc, c->g->usage_pos, "the first is here");
        return;
    }
    char *s = parse_tok_str(c, t), *e;
    while (*s == '\n' || *s == '\r')     /* the text, without its first and last blank */
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    c->g->usage = s;
    c->g->usage_pos = pos;
}

/* ---------------------------------------------------------------- start */

/* Walks C text a byte at a time, keeping the position of the next byte. */
typedef struct ArgScan {
    const char *s;
    size_t i, n;
    SrcPos pos;
} ArgScan;

static void parse_scan_step(ArgScan *sc) {
    sc->pos = pos_at(sc->pos, sc->s + sc->i, 1);
    sc->i++;
}

static bool parse_scan_at(const ArgScan *sc, const char *lit) {
    size_t k = strlen(lit);
    return sc->i + k <= sc->n && memcmp(sc->s + sc->i, lit, k) == 0;
}

/* Skips a literal, comment or single byte; returns the byte it skipped when
** that byte can matter for splitting (a bracket or comma), else 0. */
static char parse_scan_skip(ArgScan *sc) {
    char ch = sc->s[sc->i];
    if (ch == '"' || ch == '\'') {
        parse_scan_step(sc);
        while (sc->i < sc->n && sc->s[sc->i] != ch && sc->s[sc->i] != '\n') {
            if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->n) parse_scan_step(sc);
            parse_scan_step(sc);
        }
        if (sc->i < sc->n && sc->s[sc->i] == ch) parse_scan_step(sc);
        return 0;
    }
    if (parse_scan_at(sc, "//")) {
        while (sc->i < sc->n && sc->s[sc->i] != '\n') parse_scan_step(sc);
        return 0;
    }
    if (parse_scan_at(sc, "/*")) {
        parse_scan_step(sc);
        parse_scan_step(sc);
        while (sc->i < sc->n && !parse_scan_at(sc, "*/")) parse_scan_step(sc);
        if (sc->i < sc->n) { parse_scan_step(sc); parse_scan_step(sc); }
        return 0;
    }
    parse_scan_step(sc);
    return ch;
}

static bool parse_is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Adds the argument text[from, to) to l, trimmed; an empty one is an error. */
static PList parse_add_arg(ParseCtx *c, PList l, const char *text, size_t from,
                           size_t to, SrcPos pos, SrcPos comma) {
    ArgScan sc = { text, from, to, pos };
    while (sc.i < to && parse_is_space(text[sc.i])) parse_scan_step(&sc);
    while (to > sc.i && parse_is_space(text[to - 1])) to--;
    if (sc.i == to) {
        diag_error(c->dc, comma, "empty argument in start statement");
        return l;
    }
    PCell *cell = parse_cell(c);
    CExpr *e = &cell->u.expr;
    e->text = arena_strndup(c->a, text + sc.i, to - sc.i);
    e->pos = sc.pos;
    return parse_list_add(c, l, cell);
}

static PList parse_split_args(ParseCtx *c, const Token *t) {
    ArgScan sc = { t->text, 0, t->len, parse_after(t, 1) };
    PList l = parse_list_empty();
    while (sc.i < sc.n && parse_is_space(sc.s[sc.i])) parse_scan_step(&sc);
    if (sc.i == sc.n) return l;                      /* `start f()` */
    size_t from = 0;
    SrcPos from_pos = parse_after(t, 1), sep = t->pos;
    sc.i = 0;
    sc.pos = from_pos;
    int depth = 0;
    while (sc.i < sc.n) {
        SrcPos here = sc.pos;
        size_t at = sc.i;
        char ch = parse_scan_skip(&sc);
        if (ch == '(' || ch == '[' || ch == '{') depth++;
        else if (ch == ')' || ch == ']' || ch == '}') depth--;
        else if (ch == ',' && depth == 0) {
            l = parse_add_arg(c, l, sc.s, from, at, from_pos, here);
            from = sc.i;
            from_pos = sc.pos;
            sep = here;
        }
    }
    SrcPos close = sc.pos;
    return parse_add_arg(c, l, sc.s, from, sc.n, from_pos, from == 0 ? close : sep);
}

void parse_add_start(ParseCtx *c, const Token *name, const Token *args) {
    StartItem *si = vec_push(&c->g->starts, sizeof(StartItem));
    si->name = parse_tok_str(c, name);
    si->pos = name->pos;
    si->node_id = -1;
    PList l = args ? parse_split_args(c, args) : parse_list_empty();
    si->args = arena_alloc(c->a, (size_t)l.n * sizeof(CExpr) + 1);
    for (PCell *p = l.head; p; p = p->next) si->args[si->nargs++] = p->u.expr;
    parse_recycle(c, l);
}

/* "dir/etl.agdf" -> "etl".  Standard input has no name: "graph". */
const char *parse_default_name(Arena *a, const char *path) {
    if (!path || strcmp(path, "-") == 0 || strcmp(path, "<stdin>") == 0) return "graph";
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return arena_strndup(a, base, n);
}

void parse_graph_free(Graph *g) {
    if (!g) return;
    vec_free(&g->verbatims);
    vec_free(&g->nodes);
    vec_free(&g->edges);
    vec_free(&g->starts);
}
