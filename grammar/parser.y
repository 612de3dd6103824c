/*
** parser.y — the agdf grammar (lemon) and the driver that feeds it tokens.
**
** The grammar is deliberately flat: a file is a list of statements (graph,
** node, edge chain, start, verbatim block), every list is left-recursive so
** that the parser's stack depth does not grow with the input (a chain of a
** million nodes parses in constant stack), and every action hands its pieces
** to a parse_* function in compiler/parse.c, which builds the Graph.
**
** Errors: %syntax_error names the unexpected token and lists the tokens the
** parser would have accepted, computed by replaying the LR automaton on a
** copy of its stack (so default reductions do not make every token look
** acceptable).  Recovery is at statement level with lemon's `error` token: a
** broken statement is skipped up to its `;` or its C body, and the next
** statement's errors are reported (not lemon's three-token silence); the
** driver below closes a broken statement when the next statement keyword
** (`node`, `graph`, `start`, `%{`) arrives, so that a missing `;` costs one
** error, not the following statement too.
**
** The language keywords stay usable as C identifiers (parameter names and
** types, attribute names): %fallback turns a keyword into KWID wherever the
** keyword itself cannot appear, and names and parameter words accept KWID.
*/

/* lemon's functions (parse_lemon, parse_lemonInit, ...) carry the parse_
** prefix of the front end, like everything else this file defines
** (compiler/agdfc.h). */
%name parse_lemon
%token_prefix TK_
%token_type {Token}
%extra_context {ParseCtx *ctx}
%stack_size 256
%start_symbol file

%include {
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "agdfc.h"
#include "parse.h"
static void parse_syntax_error(void *parser, int major, const Token *t);
}

%token GRAPH NODE STATE START TRUE FALSE ON_CLOSE KWID ID.
%fallback KWID GRAPH NODE STATE START TRUE FALSE ON_CLOSE.
%token INT ARROW LPAREN RPAREN LBRACKET RBRACKET COMMA SEMI EQ STAR.
%token BODY VERBATIM HVERBATIM UVERBATIM CARGS.

%syntax_error { parse_syntax_error(yypParser, yymajor, &TOKEN); }

%stack_overflow {
    diag_error(ctx->dc, ctx->g->pos, "input nested too deeply for the parser");
    ctx->nsyntax++;
}

file ::= stmts.

stmts ::= .
stmts ::= stmts stmt.

stmt ::= graph_decl.
stmt ::= node_decl.
stmt ::= chain SEMI.
stmt ::= start_stmt.
stmt ::= VERBATIM(V).  { parse_add_verbatim(ctx, &V, false); }
stmt ::= HVERBATIM(V). { parse_add_verbatim(ctx, &V, true); }
stmt ::= UVERBATIM(V). { parse_set_usage(ctx, &V); }
stmt ::= error SEMI.
stmt ::= error BODY.

/* ---------------------------------------------------------------- graph */
graph_decl ::= GRAPH name(N) attrs(A) SEMI. { parse_set_graph(ctx, &N, A); }

%type attrs {PList}
attrs(R) ::= .                                  { R = parse_list_empty(); }
attrs(R) ::= LBRACKET RBRACKET.                 { R = parse_list_empty(); }
attrs(R) ::= LBRACKET attr_list(L) RBRACKET.    { R = L; }

%type attr_list {PList}
attr_list(R) ::= attr(A).                       { R = parse_list_one(ctx, A); }
attr_list(R) ::= attr_list(L) COMMA attr(A).    { R = parse_list_add(ctx, L, A); }

%type attr {PCell *}
attr(R) ::= name(N) EQ INT(V).                  { R = parse_attr(ctx, &N, &V); }
attr(R) ::= name(N) EQ TRUE(V).                 { R = parse_attr(ctx, &N, &V); }
attr(R) ::= name(N) EQ FALSE(V).                { R = parse_attr(ctx, &N, &V); }
attr(R) ::= name(N) EQ ID(V).                   { R = parse_attr(ctx, &N, &V); }

/* A name: an identifier, or a keyword where the keyword cannot appear. */
%type name {Token}
name(R) ::= ID(T).                              { R = T; }
name(R) ::= KWID(T).                            { R = T; }

/* ---------------------------------------------------------------- node */
node_decl ::= NODE name(N) LPAREN params(P) RPAREN outs(O) attrs(A) state(S) node_end(B)
              on_close(C). {
    parse_add_node(ctx, &N, P, O.list, O.tuple, A, S.kind ? &S : NULL,
                   B.kind == TK_BODY ? &B : NULL, C.kind ? &C : NULL);
}

%type params {PList}
params(R) ::= .                                 { R = parse_list_empty(); }
params(R) ::= param_list(L).                    { R = L; }

%type param_list {PList}
param_list(R) ::= param(P).                     { R = parse_list_one(ctx, P); }
param_list(R) ::= param_list(L) COMMA param(P). { R = parse_list_add(ctx, L, P); }

%type param {PCell *}
param(R) ::= words(W).                          { R = parse_param(ctx, W); }

%type words {PList}
words(R) ::= word(W).                           { R = parse_list_one(ctx, W); }
words(R) ::= words(L) word(W).                  { R = parse_list_add(ctx, L, W); }

%type word {PCell *}
word(R) ::= ID(T).                              { R = parse_word(ctx, &T); }
word(R) ::= KWID(T).                            { R = parse_word(ctx, &T); }
word(R) ::= STAR(T).                            { R = parse_word(ctx, &T); }

/* A single output type may not use a keyword as a word: `-> int state {`
** must end the type at `state` (lemon consults %fallback before a state's
** default reduction, so a KWID word here would swallow the keyword). */
%type owords {PList}
owords(R) ::= oword(W).                         { R = parse_list_one(ctx, W); }
owords(R) ::= owords(L) oword(W).               { R = parse_list_add(ctx, L, W); }

%type oword {PCell *}
oword(R) ::= ID(T).                             { R = parse_word(ctx, &T); }
oword(R) ::= STAR(T).                           { R = parse_word(ctx, &T); }

%type outs {POuts}
outs(R) ::= .                                   { R.list = parse_list_empty(); R.tuple = false; }
outs(R) ::= ARROW owords(W).                    { R.list = parse_list_one(ctx, parse_type(ctx, W));
                                                  R.tuple = false; }
outs(R) ::= ARROW LPAREN type_list(L) RPAREN.   { R.list = L; R.tuple = true; }

%type type_list {PList}
type_list(R) ::= words(W).                      { R = parse_list_one(ctx, parse_type(ctx, W)); }
type_list(R) ::= type_list(L) COMMA words(W).   { R = parse_list_add(ctx, L, parse_type(ctx, W)); }

%type state {Token}
state(R) ::= .                                  { memset(&R, 0, sizeof R); }
state(R) ::= STATE BODY(B).                     { R = B; }

/* The block run once per task when the node's input is finished. */
%type on_close {Token}
on_close(R) ::= .                               { memset(&R, 0, sizeof R); }
on_close(R) ::= ON_CLOSE BODY(B).               { R = B; }

%type node_end {Token}
node_end(R) ::= BODY(B).                        { R = B; }
node_end(R) ::= SEMI(S).                        { R = S; }

/* ---------------------------------------------------------------- edges */
%type chain {Token}
chain(R) ::= name(A) ARROW name(B).             { parse_add_edge(ctx, &A, &B); R = B; }
chain(R) ::= chain(A) ARROW name(B).            { parse_add_edge(ctx, &A, &B); R = B; }

/* ---------------------------------------------------------------- start */
start_stmt ::= START name(N) CARGS(A) SEMI.     { parse_add_start(ctx, &N, &A); }
start_stmt ::= START name(N) SEMI.              { parse_add_start(ctx, &N, NULL); }

%code {
/* Replays the automaton for lookahead tok from the stack as it was before
** the current token (lemon may already have made default reductions when
** it detects the error, which would hide tokens that were acceptable), without
** running any action, and reports whether tok would be shifted.  With
** use_fallback false, a keyword only counts where the keyword itself is
** expected, so "expected identifier" is not followed by six keywords. */
static bool parse_accepts(const yyParser *p, int tok, bool use_fallback) {
    YYACTIONTYPE st[YYSTACKDEPTH + 2];
    const ParseCtx *c = p->ctx;
    int top = c->nsnap - 1;
    if (top < 0 || top > YYSTACKDEPTH) return false;
    for (int i = 0; i <= top; i++) st[i] = c->snap[i];
    for (int steps = 0; steps < 10000; steps++) {
        YYACTIONTYPE s = st[top], act;
        if (s > YY_MAX_SHIFT) act = s;
        else if (use_fallback) act = yy_find_shift_action((YYCODETYPE)tok, s);
        else {
            int i = yy_shift_ofst[s] + tok;
            act = yy_lookahead[i] == tok ? yy_action[i] : yy_default[s];
        }
        if (act <= YY_MAX_SHIFTREDUCE) return true;
        if (act == YY_ACCEPT_ACTION) return true;
        if (act < YY_MIN_REDUCE) return false;          /* error action */
        int rule = act - YY_MIN_REDUCE;
        top += yyRuleInfoNRhs[rule];                    /* pops the right side */
        if (top < 0) return false;
        YYACTIONTYPE go = yy_find_reduce_action(st[top], yyRuleInfoLhs[rule]);
        if (top + 1 > YYSTACKDEPTH) return false;
        st[++top] = go;
    }
    return false;
}

/* The token as the message shows it: identifiers and integers with their
** spelling, everything else by name. */
static const char *parse_describe(ParseCtx *c, int kind, const Token *t) {
    if (kind == TK_ID || kind == TK_INT)
        return arena_printf(c->a, "%s '%.*s'", lex_token_name(kind),
                            t->len > 40 ? 40 : (int)t->len, t->text);
    if (kind == TK_BODY) return "C block '{...}'";
    if (kind == TK_CARGS) return "argument list '(...)'";
    if (kind == TK_VERBATIM || kind == TK_HVERBATIM || kind == TK_UVERBATIM)
        return arena_printf(c->a, "verbatim block %s", lex_token_name(kind));
    return lex_token_name(kind);
}

static void parse_syntax_error(void *parser, int major, const Token *t) {
    yyParser *p = parser;
    ParseCtx *c = p->ctx;
    int exp[YYNTOKEN];
    int n = 0;
    for (int k = 0; k < YYNTOKEN; k++) {
        if (k == YYERRORSYMBOL || k >= YYNTOKEN || k == TK_KWID) continue;
        if (parse_accepts(p, k, k == TK_ID || k == 0)) exp[n++] = k;
    }
    char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    if (n > 0 && n <= 6) {
        len += (size_t)snprintf(buf, sizeof buf, ", expected ");
        for (int i = 0; i < n && len < sizeof buf; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                    i == 0 ? "" : i == n - 1 ? " or " : ", ",
                                    lex_token_name(exp[i]));
    }
    c->nsyntax++;
    c->error_now = true;
    if (major == TK_EOF && c->quiet_eof) return;    /* the lexer said why */
    bool semi = false;
    for (int i = 0; i < n; i++) semi |= exp[i] == TK_SEMI;
    if (semi && t->pos.line > c->prev_end.line)     /* a missing ';' at a line end */
        diag_error(c->dc, c->prev_end, "syntax error: expected ';' before %s",
                   parse_describe(c, major, t));
    else
        diag_error(c->dc, t->pos, "syntax error: unexpected %s%s",
                   parse_describe(c, major, t), buf);
}

static bool parse_stmt_keyword(int kind) {
    return kind == TK_NODE || kind == TK_GRAPH || kind == TK_START
        || kind == TK_VERBATIM || kind == TK_HVERBATIM || kind == TK_UVERBATIM;
}

static bool parse_in_error(const yyParser *p) {
    return p->yytos > p->yystack && p->yytos->major == YYERRORSYMBOL;
}

/* Calls the parser, remembering its stack for parse_accepts. */
static void parse_call(yyParser *p, int kind, Token t) {
    ParseCtx *c = p->ctx;
    int n = (int)(p->yytos - p->yystack) + 1;
    if (n > (int)(sizeof c->snap / sizeof c->snap[0])) n = 0;
    for (int i = 0; i < n; i++) c->snap[i] = p->yystack[i].stateno;
    c->nsnap = n;
    parse_lemon(p, kind, t);
}

/* True when the token just fed ended a statement skipped after an error
** (`error ';'` or `error BODY` on top of the stack). */
static bool parse_error_stmt_done(const yyParser *p) {
    return p->yytos > p->yystack && p->yytos[-1].major == YYERRORSYMBOL
        && (p->yytos->major == TK_SEMI || p->yytos->major == TK_BODY);
}

/* Feeds one token; around statement keywords, ends a statement being
** skipped after an error with a synthetic ';' (see the file comment).  Once
** a broken statement is skipped, the next one starts afresh: lemon would
** otherwise stay silent until three more tokens had been shifted, hiding
** the errors of the next statements. */
static void parse_feed(yyParser *p, const Token *t) {
    bool kw = parse_stmt_keyword(t->kind);
    if (kw && parse_in_error(p)) {
        Token semi = *t;
        semi.kind = TK_SEMI;
        semi.len = 0;
        parse_call(p, TK_SEMI, semi);
        p->yyerrcnt = -1;
    }
    p->ctx->error_now = false;
    parse_call(p, t->kind, *t);
    if (parse_error_stmt_done(p)) p->yyerrcnt = -1;
    if (kw && p->ctx->error_now && parse_in_error(p)) {
        Token semi = *t;
        semi.kind = TK_SEMI;
        semi.len = 0;
        parse_call(p, TK_SEMI, semi);
        p->yyerrcnt = -1;
        parse_call(p, t->kind, *t);
    }
}

Graph *parse_source(const Source *src, DiagCtx *dc, Arena *a) {
    Graph *g = arena_alloc(a, sizeof *g);
    g->name = parse_default_name(a, src->path);
    g->pos.line = 0;
    ParseCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.g = g;
    ctx.dc = dc;
    ctx.a = a;
    ctx.src = src;

    if (!lex_is_text(src, dc)) {
        g->not_text = true;
        return g;
    }
    Lexer lx;
    lex_init(&lx, src, dc);
    yyParser parser;
    parse_lemonInit(&parser, &ctx);
    for (;;) {
        ctx.prev_end = lx.last_end;
        Token t = lex_next(&lx);
        ctx.quiet_eof = lx.ran_off_end;
        parse_feed(&parser, &t);
        if (t.kind == TK_EOF || dc->stopped) break;
    }
    parse_lemonFinalize(&parser);
    return g;
}
}
