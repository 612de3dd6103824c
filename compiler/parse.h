/*
** parse.h — the front end's private interface between the lemon grammar
** (grammar/parser.y, whose actions call parse_* functions to build the
** Graph), the driver that feeds it tokens, and compiler/parse.c which does
** the building: normalising C types, splitting `start` arguments, turning
** the grammar's linked lists into the arrays of agdfc.h.  Nothing outside
** the front end includes this file.
*/
#ifndef AGDFC_PARSE_H
#define AGDFC_PARSE_H

#include "agdfc.h"

/* A singly linked list built by left-recursive grammar rules in O(1) per
** element; its cells live in the arena, so a list abandoned by error
** recovery costs nothing to clean up. */
typedef struct PCell {
    struct PCell *next;
    union {
        Token tok;           /* a word of a C type or parameter */
        Param param;
        CType type;
        CExpr expr;
        Attr attr;
        struct PList *words; /* an output type's words, before normalising */
    } u;
} PCell;

typedef struct PList {
    PCell *head, *tail;
    int n;
} PList;

typedef struct POuts {
    PList list;              /* of CType cells */
    bool tuple;              /* written as a parenthesised list */
} POuts;

typedef struct ParseCtx {
    Graph *g;
    DiagCtx *dc;
    Arena *a;
    const Source *src;
    int nsyntax;             /* syntax errors reported so far */
    bool error_now;          /* set by %syntax_error, cleared by the driver */
    SrcPos graph_first;      /* where `graph` was first declared */
    SrcPos prev_end;         /* just after the token before the current one */
    bool quiet_eof;          /* the lexer reported an unterminated construct */
    PCell *free_cells;       /* cells of lists already turned into arrays */
    unsigned short snap[260];/* parser states before the current token */
    int nsnap;
} ParseCtx;

PList parse_list_empty(void);
PList parse_list_one(ParseCtx *c, PCell *cell);
PList parse_list_add(ParseCtx *c, PList l, PCell *cell);
PCell *parse_cell(ParseCtx *c);

char *parse_tok_str(ParseCtx *c, const Token *t);
PCell *parse_word(ParseCtx *c, const Token *t);
PCell *parse_param(ParseCtx *c, PList words);     /* NULL after an error */
PCell *parse_type(ParseCtx *c, PList words);      /* NULL after an error */
PCell *parse_attr(ParseCtx *c, const Token *name, const Token *value);
void parse_set_graph(ParseCtx *c, const Token *name, PList attrs);
void parse_add_node(ParseCtx *c, const Token *name, PList params, PList outs,
                    bool tuple, PList attrs, const Token *state, const Token *body,
                    const Token *on_close);
void parse_add_edge(ParseCtx *c, const Token *from, const Token *to);
void parse_set_usage(ParseCtx *c, const Token *t);
void parse_add_start(ParseCtx *c, const Token *name, const Token *args);
void parse_add_verbatim(ParseCtx *c, const Token *t, bool header);

/* The default graph name: the file's basename without its extension. */
const char *parse_default_name(Arena *a, const char *path);

#endif /* AGDFC_PARSE_H */
