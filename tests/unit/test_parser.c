/*
** test_parser.c — the lemon grammar and parse.c: the Graph built for each
** construct of the language (types normalised, tuples, attributes, state
** and body text with positions, chains, start arguments split at top-level
** commas), keywords used as identifiers, syntax errors with the expected
** tokens, recovery that reports several errors, and a long chain.
*/
#include "front_test.h"

static void test_full_node(void **state) {
    (void)state;
    Fx *f = fx_run("node extract(const char* p, char **q) -> (int, unsigned long)\n"
                   "  [max_tasks = 3, queue_size = 7, halt_on_exception = true]\n"
                   "state { int i; } { AGDF_YIELD(1, 2); }\n", false);
    FX_CLEAN(f);
    assert_int_equal(GRAPH_NNODES(f->g), 1);
    Node *n = GRAPH_NODE(f->g, 0);
    assert_string_equal(n->name, "extract");
    assert_int_equal(n->pos.line, 1);
    assert_int_equal(n->pos.col, 6);
    assert_int_equal(n->nparams, 2);
    assert_string_equal(n->params[0].type.text, "const char *");
    assert_string_equal(n->params[0].name, "p");
    assert_int_equal(n->params[0].pos.col, 26);
    assert_string_equal(n->params[1].type.text, "char **");
    assert_int_equal(n->nouts, 2);
    assert_true(n->out_tuple);
    assert_string_equal(n->outs[1].text, "unsigned long");
    assert_int_equal(n->nattrs, 3);
    assert_string_equal(n->attrs[1].name, "queue_size");
    assert_int_equal(n->attrs[1].kind, ATTR_INT);
    assert_int_equal(n->attrs[1].ival, 7);
    assert_int_equal(n->attrs[2].kind, ATTR_BOOL);
    assert_int_equal(n->attrs[2].ival, 1);
    assert_string_equal(n->state, " int i; ");
    assert_int_equal(n->state_pos.line, 3);
    assert_int_equal(n->state_pos.col, 8);
    assert_string_equal(n->body, " AGDF_YIELD(1, 2); ");
    assert_int_equal(n->body_pos.col, 19);
    fx_free(f);
}

static void test_simple_forms(void **state) {
    (void)state;
    Fx *f = fx_run("node a();\nnode b(void) -> void {}\nnode c(int x) -> int *;\n", false);
    FX_CLEAN(f);
    assert_int_equal(GRAPH_NNODES(f->g), 3);
    assert_int_equal(GRAPH_NODE(f->g, 0)->nparams, 0);
    assert_null(GRAPH_NODE(f->g, 0)->body);
    assert_int_equal(GRAPH_NODE(f->g, 1)->nparams, 0);
    assert_int_equal(GRAPH_NODE(f->g, 1)->nouts, 0);
    assert_string_equal(GRAPH_NODE(f->g, 1)->body, "");
    assert_string_equal(GRAPH_NODE(f->g, 2)->outs[0].text, "int *");
    assert_false(GRAPH_NODE(f->g, 2)->out_tuple);
    fx_free(f);
}

/* graph, node, state, start, true, false stay usable as C identifiers. */
static void test_keywords_as_identifiers(void **state) {
    (void)state;
    Fx *f = fx_run("node state(struct graph *node, int start, int true_) -> int state { int x; };\n"
                   "node graph(int false) [start = 1];\n", false);
    FX_CLEAN(f);
    Node *n = GRAPH_NODE(f->g, 0);
    assert_string_equal(n->name, "state");
    assert_string_equal(n->params[0].type.text, "struct graph *");
    assert_string_equal(n->params[0].name, "node");
    assert_string_equal(n->params[1].name, "start");
    assert_string_equal(n->outs[0].text, "int");
    assert_string_equal(n->state, " int x; ");
    assert_null(n->body);
    assert_string_equal(GRAPH_NODE(f->g, 1)->name, "graph");
    assert_string_equal(GRAPH_NODE(f->g, 1)->attrs[0].name, "start");
    fx_free(f);
}

static void test_graph_and_verbatim(void **state) {
    (void)state;
    Fx *f = fx_run("graph etl [halt_on_exception = true, max_exceptions = 5];\n"
                   "%header{ typedef int word; %}\n%{ #include <stdio.h>\n%}\n", false);
    FX_CLEAN(f);
    assert_true(f->g->declared);
    assert_string_equal(f->g->name, "etl");
    assert_int_equal(f->g->pos.col, 7);
    assert_int_equal(f->g->nattrs, 2);
    assert_int_equal(f->g->verbatims.len, 2);
    Verbatim *h = &VEC_AT(f->g->verbatims, Verbatim, 0);
    assert_true(h->header);
    assert_string_equal(h->text, " typedef int word; ");
    assert_int_equal(h->pos.line, 2);
    assert_int_equal(h->pos.col, 9);
    Verbatim *c = &VEC_AT(f->g->verbatims, Verbatim, 1);
    assert_false(c->header);
    assert_int_equal(c->pos.col, 3);
    fx_free(f);
}

static void test_default_name(void **state) {
    (void)state;
    Fx *f = fx_run_named("dir/my_etl.agdf", "", 0, false);
    assert_string_equal(f->g->name, "my_etl");
    assert_false(f->g->declared);
    fx_free(f);
}

static void test_chains(void **state) {
    (void)state;
    Fx *f = fx_run("a -> b -> c;\nc -> d;\n", false);
    FX_CLEAN(f);
    assert_int_equal(f->g->edges.len, 3);
    Edge *e = GRAPH_EDGE(f->g, 1);
    assert_string_equal(e->from, "b");
    assert_string_equal(e->to, "c");
    assert_int_equal(e->from_pos.col, 6);
    assert_int_equal(e->to_pos.col, 11);
    assert_int_equal(e->from_id, -1);
    assert_int_equal(GRAPH_EDGE(f->g, 2)->from_pos.line, 2);
    fx_free(f);
}

static void test_start_args(void **state) {
    (void)state;
    Fx *f = fx_run("start f( (word){\"a, b\"} , g(1, 2),\n  'x' /* , */ );\n"
                   "start g();\nstart h;\n", false);
    FX_CLEAN(f);
    assert_int_equal(f->g->starts.len, 3);
    StartItem *s = GRAPH_START(f->g, 0);
    assert_string_equal(s->name, "f");
    assert_int_equal(s->nargs, 3);
    assert_string_equal(s->args[0].text, "(word){\"a, b\"}");
    assert_int_equal(s->args[0].pos.col, 10);
    assert_string_equal(s->args[1].text, "g(1, 2)");
    assert_string_equal(s->args[2].text, "'x' /* , */");
    assert_int_equal(s->args[2].pos.line, 2);
    assert_int_equal(s->args[2].pos.col, 3);
    assert_int_equal(GRAPH_START(f->g, 1)->nargs, 0);
    assert_int_equal(GRAPH_START(f->g, 2)->nargs, 0);
    fx_free(f);
}

static void test_empty_start_arg(void **state) {
    (void)state;
    Fx *f = fx_run("start f(1, , 2);\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 12, "empty argument");
    fx_free(f);
}

static void test_syntax_error_expected(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x) -> int [max_tasks 2];\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 33, "syntax error: unexpected integer '2', expected '='");
    fx_free(f);
    f = fx_run("a -> ;\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 6, "unexpected ';', expected identifier");
    fx_free(f);
}

static void test_missing_semicolon(void **state) {
    (void)state;
    Fx *f = fx_run("a -> b\nnode b(int x) -> int [oops];\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 7, "expected ';' before 'node'");
    /* the next statement is parsed after recovery, and its error reported */
    FX_EXPECT(f, DIAG_ERROR, 2, 27, "unexpected ']', expected '='");
    assert_int_equal(f->dc.nerrors, 2);
    fx_free(f);
}

static void test_recovery_reports_all(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int) -> int;\nnode b() -> -> int;\nnode c() {}\nx y;\nnode d();\n",
                   false);
    FX_EXPECT(f, DIAG_ERROR, 1, 8, "missing parameter name after type 'int'");
    FX_EXPECT(f, DIAG_ERROR, 2, 13, "unexpected '->'");
    FX_EXPECT(f, DIAG_ERROR, 4, 3, "unexpected identifier 'y', expected '->'");
    assert_int_equal(f->dc.nerrors, 3);
    assert_int_equal(GRAPH_NNODES(f->g), 3);              /* a, c and d */
    fx_free(f);
}

/* Back-to-back broken statements: one error each, none lost to lemon's
** three-token silence after a recovery, and no follow-on errors. */
static void test_recovery_each_statement(void **state) {
    (void)state;
    Fx *f = fx_run("a -> -> b;\na b;\n-> a;\nnode c( { }\na -> ;\nstart a(1;\ngraph ;\n"
                   "node d();\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 6, "unexpected '->'");
    FX_EXPECT(f, DIAG_ERROR, 2, 3, "unexpected identifier 'b'");
    FX_EXPECT(f, DIAG_ERROR, 3, 1, "unexpected '->'");
    FX_EXPECT(f, DIAG_ERROR, 4, 9, "unexpected C block");
    FX_EXPECT(f, DIAG_ERROR, 5, 6, "unexpected ';'");
    FX_EXPECT(f, DIAG_ERROR, 6, 8, "unterminated argument list: missing ')'");
    FX_EXPECT(f, DIAG_ERROR, 7, 7, "unexpected ';'");
    assert_int_equal(f->dc.nerrors, 7);
    assert_int_equal(GRAPH_NNODES(f->g), 1);              /* d */
    fx_free(f);
}

static void test_param_errors(void **state) {
    (void)state;
    Fx *f = fx_run("node a(x) -> int;\nnode b(int *);\nnode c(void, int x);\n", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 8, "parameter 'x' has no type");
    FX_EXPECT(f, DIAG_ERROR, 2, 12, "expected a parameter name after '*'");
    FX_EXPECT(f, DIAG_ERROR, 3, 8, "'void' must be the only parameter");
    fx_free(f);
}

static void test_eof_error(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x)", false);
    FX_EXPECT(f, DIAG_ERROR, 1, 14, "unexpected end of file");
    fx_free(f);
}

static void test_graph_twice(void **state) {
    (void)state;
    Fx *f = fx_run("graph a;\ngraph b;\n", false);
    FX_EXPECT(f, DIAG_ERROR, 2, 7, "graph declared twice");
    FX_EXPECT(f, DIAG_NOTE, 1, 7, "first declared here");
    assert_string_equal(f->g->name, "a");
    fx_free(f);
}

/* Left recursion: a long chain needs no parser stack (and no C stack). */
static void test_long_chain(void **state) {
    (void)state;
    const int n = 200000;
    size_t cap = (size_t)n * 12 + 16, len = 0;
    char *s = malloc(cap);
    for (int i = 0; i < n; i++) len += (size_t)sprintf(s + len, i ? " -> n%d" : "n%d", i);
    s[len++] = ';';
    Fx *f = fx_run_named("t.agdf", s, len, false);
    free(s);
    assert_int_equal(f->dc.nerrors, 0);
    assert_int_equal(f->g->edges.len, (size_t)n - 1);
    fx_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_node),
        cmocka_unit_test(test_simple_forms),
        cmocka_unit_test(test_keywords_as_identifiers),
        cmocka_unit_test(test_graph_and_verbatim),
        cmocka_unit_test(test_default_name),
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_start_args),
        cmocka_unit_test(test_empty_start_arg),
        cmocka_unit_test(test_syntax_error_expected),
        cmocka_unit_test(test_missing_semicolon),
        cmocka_unit_test(test_recovery_reports_all),
        cmocka_unit_test(test_recovery_each_statement),
        cmocka_unit_test(test_param_errors),
        cmocka_unit_test(test_eof_error),
        cmocka_unit_test(test_graph_twice),
        cmocka_unit_test(test_long_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
