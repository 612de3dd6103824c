/*
** test_lexer.c — the re2c lexer: token kinds and positions, C text tokens
** (bodies, verbatim blocks, start arguments) with their brace matching,
** integers, and the diagnostics for malformed input.
*/
#include "front_test.h"

typedef struct Lx {
    Source src;
    DiagCtx dc;
    Lexer lx;
} Lx;

static Lx *lx_open(const char *text, size_t len) {
    Lx *l = calloc(1, sizeof *l);
    char *copy = malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    l->src.path = "t.agdf";
    l->src.text = copy;
    l->src.len = len;
    diag_init(&l->dc, &l->src);
    lex_init(&l->lx, &l->src, &l->dc);
    return l;
}

static void lx_close(Lx *l) {
    diag_free(&l->dc);
    free((char *)l->src.text);
    free(l);
}

static Token expect_tok(Lx *l, int kind, unsigned line, unsigned col, const char *text) {
    Token t = lex_next(&l->lx);
    assert_int_equal(t.kind, kind);
    assert_int_equal(t.pos.line, line);
    assert_int_equal(t.pos.col, col);
    if (text) {
        assert_int_equal(t.len, strlen(text));
        assert_memory_equal(t.text, text, t.len);
    }
    return t;
}

static void test_node_header(void **state) {
    (void)state;
    const char *s = "node a(int x) -> int [max_tasks = 2];\n";
    Lx *l = lx_open(s, strlen(s));
    expect_tok(l, TK_NODE, 1, 1, "node");
    expect_tok(l, TK_ID, 1, 6, "a");
    expect_tok(l, TK_LPAREN, 1, 7, "(");
    expect_tok(l, TK_ID, 1, 8, "int");
    expect_tok(l, TK_ID, 1, 12, "x");
    expect_tok(l, TK_RPAREN, 1, 13, ")");
    expect_tok(l, TK_ARROW, 1, 15, "->");
    expect_tok(l, TK_ID, 1, 18, "int");
    expect_tok(l, TK_LBRACKET, 1, 22, "[");
    expect_tok(l, TK_ID, 1, 23, "max_tasks");
    expect_tok(l, TK_EQ, 1, 33, "=");
    Token n = expect_tok(l, TK_INT, 1, 35, "2");
    assert_int_equal(n.ival, 2);
    expect_tok(l, TK_RBRACKET, 1, 36, "]");
    expect_tok(l, TK_SEMI, 1, 37, ";");
    expect_tok(l, TK_EOF, 1, 38, NULL);
    expect_tok(l, TK_EOF, 1, 38, NULL);                 /* forever */
    assert_int_equal(l->dc.diags.len, 0);
    lx_close(l);
}

static void test_keywords_and_comments(void **state) {
    (void)state;
    const char *s = "graph // comment\n  /* multi\nline */ state start true false node_x\t*";
    Lx *l = lx_open(s, strlen(s));
    expect_tok(l, TK_GRAPH, 1, 1, "graph");
    expect_tok(l, TK_STATE, 3, 9, "state");
    expect_tok(l, TK_START, 3, 15, "start");
    expect_tok(l, TK_TRUE, 3, 21, "true");
    expect_tok(l, TK_FALSE, 3, 26, "false");
    expect_tok(l, TK_ID, 3, 32, "node_x");
    expect_tok(l, TK_STAR, 3, 39, "*");
    expect_tok(l, TK_EOF, 3, 40, NULL);
    lx_close(l);
}

static void test_integers(void **state) {
    (void)state;
    const char *s = "-1 0x10 42 99999999999999999999999 12ab";
    Lx *l = lx_open(s, strlen(s));
    assert_int_equal(expect_tok(l, TK_INT, 1, 1, "-1").ival, -1);
    assert_int_equal(expect_tok(l, TK_INT, 1, 4, "0x10").ival, 16);
    assert_int_equal(expect_tok(l, TK_INT, 1, 9, "42").ival, 42);
    assert_int_equal(expect_tok(l, TK_INT, 1, 12, NULL).ival, LEX_BAD_INT);
    expect_tok(l, TK_INT, 1, 36, "12ab");
    assert_int_equal(l->dc.nerrors, 2);
    lx_close(l);
}

/* No integer wraps: the largest int64 passes, one more (or a 65-bit value
** that a wrapping conversion would read as a small one) is refused. */
static void test_integer_limits(void **state) {
    (void)state;
    const char *s = "9223372036854775807 9223372036854775808 18446744073709551620 "
                    "0x7fffffffffffffff 0x10000000000000004 -18446744073709551620";
    Lx *l = lx_open(s, strlen(s));
    assert_int_equal(expect_tok(l, TK_INT, 1, 1, NULL).ival, INT64_MAX);
    assert_int_equal(expect_tok(l, TK_INT, 1, 21, NULL).ival, LEX_BAD_INT);
    assert_int_equal(expect_tok(l, TK_INT, 1, 41, NULL).ival, LEX_BAD_INT);
    assert_int_equal(expect_tok(l, TK_INT, 1, 62, NULL).ival, INT64_MAX);
    assert_int_equal(expect_tok(l, TK_INT, 1, 81, NULL).ival, LEX_BAD_INT);
    assert_int_equal(expect_tok(l, TK_INT, 1, 101, NULL).ival, LEX_BAD_INT);
    assert_int_equal(l->dc.nerrors, 4);
    assert_non_null(strstr(VEC_AT(l->dc.diags, Diag, 0).msg, "too large"));
    lx_close(l);
}

/* A file is refused whole when it is not text, or too large for 32-bit
** positions (only its length is looked at then). */
static void test_not_text(void **state) {
    (void)state;
    DiagCtx dc;
    Source src = { "t.agdf", "node a() {}\n\xc3\xa9\x01", 15 };
    diag_init(&dc, &src);
    assert_true(lex_is_text(&src, &dc));                  /* 1 odd byte in 15 */
    Source bin = { "t.bin", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0", 12 };
    assert_false(lex_is_text(&bin, &dc));
    Source huge = { "t.agdf", "x", (size_t)LEX_MAX_BYTES + 1 };
    assert_false(lex_is_text(&huge, &dc));
    assert_int_equal(dc.nerrors, 2);
    assert_non_null(strstr(VEC_AT(dc.diags, Diag, 0).msg, "file is not text"));
    assert_non_null(strstr(VEC_AT(dc.diags, Diag, 1).msg, "file is too large"));
    diag_free(&dc);
}

/* Preprocessor lines are C for the C compiler: a quote or brace in a
** directive, in an `#if 0` group or in an `#else` branch does not count, and
** the text is kept whole (the next token is where it should be). */
static void test_preprocessor_lines(void **state) {
    (void)state;
    const char *s = "{\n"
                    "#if 0\n  if (x) {  // don't\n#endif\n"
                    "  #ifdef A\n  if (y) {\n#elif B\n  if (z) {\n# else\n }}\n#endif\n"
                    "  }\n"
                    "#error it's \\\n  a '{' line\n"
                    "#if 0 /* x */\n #if 1\n } \n #else\n '\n #endif\n#else\n#endif\n"
                    "} z";
    Lx *l = lx_open(s, strlen(s));
    Token b = expect_tok(l, TK_BODY, 1, 1, NULL);
    assert_int_equal(b.len, strlen(s) - 4);               /* all but "{", "} z" */
    expect_tok(l, TK_ID, 23, 3, "z");
    if (l->dc.diags.len) { diag_print(&l->dc, stderr); fail(); }
    lx_close(l);
}

/* Braces inside strings, characters and comments do not count. */
static void test_body_braces(void **state) {
    (void)state;
    const char *s = "{ if (x) { puts(\"}\"); c = '}'; /* } */ // }\n } }\nx";
    Lx *l = lx_open(s, strlen(s));
    Token b = expect_tok(l, TK_BODY, 1, 1, NULL);
    assert_int_equal(b.len, strlen(s) - 4);               /* all but "{", " }\nx" */
    assert_memory_equal(b.text, s + 1, b.len);
    expect_tok(l, TK_ID, 3, 1, "x");
    assert_int_equal(l->dc.diags.len, 0);
    lx_close(l);
}

static void test_verbatim(void **state) {
    (void)state;
    const char *s = "%{\n#include <stdio.h>\n%}\n%header{ typedef int t; %}";
    Lx *l = lx_open(s, strlen(s));
    expect_tok(l, TK_VERBATIM, 1, 1, "\n#include <stdio.h>\n");
    expect_tok(l, TK_HVERBATIM, 4, 1, " typedef int t; ");
    expect_tok(l, TK_EOF, 4, 27, NULL);
    lx_close(l);
}

/* Only after `start NAME` does '(' open a raw argument list. */
static void test_start_args(void **state) {
    (void)state;
    const char *s = "start f((word){\"a,)\"}, g(1, 2));\nnode f(";
    Lx *l = lx_open(s, strlen(s));
    expect_tok(l, TK_START, 1, 1, "start");
    expect_tok(l, TK_ID, 1, 7, "f");
    expect_tok(l, TK_CARGS, 1, 8, "(word){\"a,)\"}, g(1, 2)");
    expect_tok(l, TK_SEMI, 1, 32, ";");
    expect_tok(l, TK_NODE, 2, 1, "node");
    expect_tok(l, TK_ID, 2, 6, "f");
    expect_tok(l, TK_LPAREN, 2, 7, "(");
    lx_close(l);
}

static void test_unterminated(void **state) {
    (void)state;
    const char *cases[][2] = {
        { "node a() {\n  x = 1;\n", "unterminated C block" },
        { "a -> b; /* open\n\n", "unterminated comment" },
        { "\n  %{ int x;\n", "unterminated verbatim block" },
        { "start f(1,\n 2;\n", "unterminated argument list" },
    };
    const unsigned pos[][2] = { {1, 10}, {1, 9}, {2, 3}, {1, 8} };
    for (size_t i = 0; i < 4; i++) {
        Lx *l = lx_open(cases[i][0], strlen(cases[i][0]));
        for (int k = 0; k < 20 && lex_next(&l->lx).kind != TK_EOF; k++) {}
        assert_int_equal(l->dc.nerrors, 1);
        const Diag *d = &VEC_AT(l->dc.diags, Diag, 0);
        assert_non_null(strstr(d->msg, cases[i][1]));
        assert_int_equal(d->pos.line, pos[i][0]);
        assert_int_equal(d->pos.col, pos[i][1]);
        lx_close(l);
    }
}

static void test_string_newline(void **state) {
    (void)state;
    const char *s = "{\n  puts(\"abc);\n}\n";
    Lx *l = lx_open(s, strlen(s));
    expect_tok(l, TK_BODY, 1, 1, NULL);
    expect_tok(l, TK_EOF, 3, 2, NULL);
    assert_int_equal(l->dc.nerrors, 1);
    const Diag *d = &VEC_AT(l->dc.diags, Diag, 0);
    assert_string_equal(d->msg, "missing terminating \" character");
    assert_int_equal(d->pos.line, 2);
    assert_int_equal(d->pos.col, 8);
    lx_close(l);
}

static void test_bad_bytes(void **state) {
    (void)state;
    const char s[] = "a\0\0 b @ \xc3\xa9 }";
    Lx *l = lx_open(s, sizeof s - 1);
    expect_tok(l, TK_ID, 1, 1, "a");
    expect_tok(l, TK_ID, 1, 5, "b");
    expect_tok(l, TK_EOF, 1, 6, NULL);          /* just after the last token */
    assert_int_equal(l->dc.nerrors, 4);
    assert_string_equal(VEC_AT(l->dc.diags, Diag, 0).msg, "NUL byte in input");
    assert_string_equal(VEC_AT(l->dc.diags, Diag, 1).msg, "stray '@' in input");
    assert_non_null(strstr(VEC_AT(l->dc.diags, Diag, 2).msg, "stray byte 0xC3"));
    assert_string_equal(VEC_AT(l->dc.diags, Diag, 3).msg, "unmatched '}'");
    lx_close(l);
}

static void test_token_names(void **state) {
    (void)state;
    assert_string_equal(lex_token_name(TK_ARROW), "'->'");
    assert_string_equal(lex_token_name(TK_ID), "identifier");
    assert_string_equal(lex_token_name(TK_EOF), "end of file");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_header),
        cmocka_unit_test(test_keywords_and_comments),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_integer_limits),
        cmocka_unit_test(test_preprocessor_lines),
        cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_body_braces),
        cmocka_unit_test(test_verbatim),
        cmocka_unit_test(test_start_args),
        cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_string_newline),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_token_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
