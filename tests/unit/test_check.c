/*
** test_check.c — every semantic check of check.c (one test each, with its
** message and position), and the derived fields it fills: attribute
** defaults, successor lists, predecessor counts, start nodes, reachability
** and the topological order.
*/
#include "front_test.h"

#define DECL "node a() -> int;\nnode b(int x) -> int;\nnode c(int x);\n"

static void test_derived_fields(void **state) {
    (void)state;
    Fx *f = fx_run(DECL "a -> b -> c;\na -> c;\n", true);
    FX_CLEAN(f);
    assert_true(f->ok);
    Node *a = GRAPH_NODE(f->g, 0), *b = GRAPH_NODE(f->g, 1), *c = GRAPH_NODE(f->g, 2);
    assert_int_equal(a->max_tasks, 1);
    assert_int_equal(a->queue_size, 10000);
    assert_int_equal(a->halt_on_exception, -1);
    assert_int_equal(a->nsucc, 2);
    assert_int_equal(a->succ[0], 1);
    assert_int_equal(a->succ[1], 2);
    assert_int_equal(c->npred, 2);
    assert_true(a->is_start);
    assert_false(b->is_start);
    assert_true(c->reachable);
    assert_int_equal(f->g->nstart_nodes, 1);
    assert_int_equal(f->g->start_nodes[0], 0);
    assert_int_equal(f->g->topo[0], 0);
    assert_int_equal(f->g->topo[1], 1);
    assert_int_equal(f->g->topo[2], 2);
    assert_false(f->g->halt_on_exception);
    assert_int_equal(f->g->max_exceptions, 1000);
    fx_free(f);
}

static void test_attrs_ok(void **state) {
    (void)state;
    Fx *f = fx_run("graph g [halt_on_exception = true, max_exceptions = 3];\n"
                   "node a() [max_tasks = 4, queue_size = 2, halt_on_exception = false];\n", true);
    FX_CLEAN(f);
    assert_true(f->g->halt_on_exception);
    assert_int_equal(f->g->max_exceptions, 3);
    assert_int_equal(GRAPH_NODE(f->g, 0)->max_tasks, 4);
    assert_int_equal(GRAPH_NODE(f->g, 0)->queue_size, 2);
    assert_int_equal(GRAPH_NODE(f->g, 0)->halt_on_exception, 0);
    fx_free(f);
}

static void test_duplicate_node(void **state) {
    (void)state;
    Fx *f = fx_run("node a();\nnode a();\n", true);
    FX_EXPECT(f, DIAG_ERROR, 2, 6, "redefinition of node 'a'");
    FX_EXPECT(f, DIAG_NOTE, 1, 6, "'a' first defined here");
    assert_false(f->ok);
    fx_free(f);
}

static void test_unknown_node(void **state) {
    (void)state;
    Fx *f = fx_run(DECL "a -> zz -> c;\nstart qq();\n", true);
    FX_EXPECT(f, DIAG_ERROR, 4, 6, "unknown node 'zz' in edge");
    FX_EXPECT(f, DIAG_ERROR, 5, 7, "unknown node 'qq' in start statement");
    fx_free(f);
}

static void test_cycle(void **state) {
    (void)state;
    Fx *f = fx_run("node s() -> int;\nnode a(int x) -> int;\nnode b(int x) -> int;\n"
                   "node c(int x) -> int;\ns -> a -> b;\nb -> c;\nc -> a;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 7, 6, "cycle in graph: a -> b -> c -> a");
    assert_int_equal(f->dc.nerrors, 1);
    fx_free(f);
}

static void test_two_cycles(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x) -> int;\nnode b(int x) -> int;\nnode c(int x) -> int;\n"
                   "node d(int x) -> int;\na -> b -> a;\nc -> d -> c;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 5, 11, "cycle in graph: a -> b -> a");
    FX_EXPECT(f, DIAG_ERROR, 6, 11, "cycle in graph: c -> d -> c");
    assert_int_equal(f->dc.nerrors, 2);
    fx_free(f);
}

static void test_self_edge(void **state) {
    (void)state;
    Fx *f = fx_run("node a() -> int;\nnode b(int x);\na -> b -> b;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 3, 11, "edge from node 'b' to itself");
    assert_int_equal(f->dc.nerrors, 1);
    fx_free(f);
}

static void test_attr_errors(void **state) {
    (void)state;
    Fx *f = fx_run("graph g [max_exceptions = 0, color = red];\n"
                   "node a() [max_tasks = -1, queue_size = true, halt_on_exception = 1,\n"
                   "          max_tasks = 2, speed = 3, queue_size = 3000000000];\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 27, "max_exceptions must be between 1 and 1048576, not 0");
    FX_EXPECT(f, DIAG_ERROR, 1, 30, "unknown attribute 'color' for graph");
    FX_EXPECT(f, DIAG_ERROR, 2, 23, "max_tasks must be between 1 and 1048576, not -1");
    FX_EXPECT(f, DIAG_ERROR, 2, 40, "attribute 'queue_size' takes an integer, not 'true'");
    FX_EXPECT(f, DIAG_ERROR, 2, 66, "attribute 'halt_on_exception' takes true or false, not '1'");
    FX_EXPECT(f, DIAG_ERROR, 3, 11, "attribute 'max_tasks' given twice");
    FX_EXPECT(f, DIAG_NOTE, 2, 11, "first given here");
    FX_EXPECT(f, DIAG_ERROR, 3, 26, "unknown attribute 'speed' for node 'a'");
    FX_EXPECT(f, DIAG_ERROR, 3, 37, "attribute 'queue_size' given twice");
    fx_free(f);
}

static void test_range_upper(void **state) {
    (void)state;
    Fx *f = fx_run("node a() [queue_size = 3000000000];\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 24, "queue_size must be between 1 and 16777216");
    fx_free(f);
}

static void test_type_mismatch(void **state) {
    (void)state;
    Fx *f = fx_run("node a() -> (int, double);\nnode b(int x);\nnode c(int x, float y);\n"
                   "node d();\nnode e(char * s);\nnode z() -> char*;\n"
                   "a -> b;\na -> c;\na -> d;\nd -> e;\nz -> e;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 7, 6, "type mismatch on edge 'a -> b': 'a' yields '(int, double)' "
              "but 'b' takes 'int'");
    FX_EXPECT(f, DIAG_ERROR, 8, 6, "'a' yields '(int, double)' but 'c' takes '(int, float)'");
    FX_EXPECT(f, DIAG_ERROR, 10, 6, "'d' yields no value but 'e' takes 'char *'");
    assert_int_equal(f->dc.nerrors, 3);                   /* a -> d, z -> e are fine */
    fx_free(f);
}

static void test_start_without_args(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x) -> int;\nnode b(int x);\na -> b;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 6, "node 'a' takes parameters but would be started with none");
    fx_free(f);
    f = fx_run("node a(int x) -> int;\nnode b(int x);\na -> b;\nstart a(1);\n", true);
    FX_CLEAN(f);
    assert_true(GRAPH_NODE(f->g, 0)->is_start);
    assert_int_equal(f->g->nstart_nodes, 0);
    fx_free(f);
}

static void test_start_arg_count(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x, int y);\nstart a(1);\nstart a(1, 2, 3);\nstart a(1, 2);\n", true);
    FX_EXPECT(f, DIAG_ERROR, 2, 7, "wrong number of arguments to start 'a': it takes 2, 1 given");
    FX_EXPECT(f, DIAG_ERROR, 3, 7, "it takes 2, 3 given");
    assert_int_equal(f->dc.nerrors, 2);
    fx_free(f);
}

static void test_start_over_queue(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x) [queue_size = 2];\nstart a(1);\nstart a(2);\nstart a(3);\n", true);
    FX_EXPECT(f, DIAG_ERROR, 4, 7, "too many start items for node 'a'");
    assert_int_equal(f->dc.nerrors, 1);
    fx_free(f);
}

static void test_names(void **state) {
    (void)state;
    Fx *f = fx_run("graph g;\nnode int();\nnode agdf_x();\nnode _x();\nnode g();\nnode init();\n"
                   "node foo();\nnode foo_task();\nnode start_foo();\nnode NODE_foo();\n", true);
    FX_EXPECT(f, DIAG_ERROR, 2, 6, "node name 'int' is a C keyword");
    FX_EXPECT(f, DIAG_ERROR, 3, 6, "node name 'agdf_x' is reserved");
    FX_EXPECT(f, DIAG_ERROR, 4, 6, "node name '_x' starts with '_'");
    FX_EXPECT(f, DIAG_ERROR, 5, 6, "node name 'g' is the graph's name");
    FX_EXPECT(f, DIAG_ERROR, 6, 6, "node name 'init' collides with a generated name");
    FX_EXPECT(f, DIAG_ERROR, 8, 6, "node name 'foo_task' collides");
    FX_EXPECT(f, DIAG_ERROR, 9, 6, "node name 'start_foo' collides");
    FX_EXPECT(f, DIAG_ERROR, 10, 6, "node name 'NODE_foo' collides");
    assert_int_equal(f->dc.nerrors, 8);
    fx_free(f);
}

static void test_graph_names(void **state) {
    (void)state;
    Fx *f = fx_run_named("dir/my-graph.agdf", "node a();\n", 10, true);
    FX_EXPECT(f, DIAG_ERROR, 0, 0, "graph name 'my-graph' (from the file name) is not usable");
    fx_free(f);
    f = fx_run("graph for;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 7, "graph name 'for' is a C keyword");
    fx_free(f);
    f = fx_run("graph agdf;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 7, "graph name 'agdf' is reserved");
    fx_free(f);
}

static void test_params(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x, int self, double x, int agdf_in, long double);\nstart a(1,2,3,4,5);\n",
                   true);
    FX_EXPECT(f, DIAG_ERROR, 1, 19, "parameter name 'self' is reserved");
    FX_EXPECT(f, DIAG_ERROR, 1, 32, "duplicate parameter 'x' in node 'a'");
    FX_EXPECT(f, DIAG_NOTE, 1, 12, "'x' first declared here");
    FX_EXPECT(f, DIAG_ERROR, 1, 39, "parameter name 'agdf_in' is reserved");
    FX_EXPECT(f, DIAG_ERROR, 1, 53, "parameter name 'double' is a C keyword");
    fx_free(f);
}

static void test_duplicate_edge_warning(void **state) {
    (void)state;
    Fx *f = fx_run(DECL "a -> b -> c;\na -> b;\n", true);
    FX_EXPECT(f, DIAG_WARNING, 5, 1, "duplicate edge 'a -> b'");
    FX_EXPECT(f, DIAG_NOTE, 4, 1, "first declared here");
    assert_int_equal(f->dc.nerrors, 0);
    assert_true(f->ok);
    assert_true(GRAPH_EDGE(f->g, 2)->duplicate);
    assert_int_equal(GRAPH_NODE(f->g, 0)->nsucc, 1);
    assert_int_equal(GRAPH_NODE(f->g, 1)->npred, 1);
    fx_free(f);
}

static void test_unreachable_warning(void **state) {
    (void)state;
    Fx *f = fx_run("node a(int x) -> int;\nnode b(int x);\nnode c();\na -> b;\nstart a(1);\n", true);
    FX_EXPECT(f, DIAG_WARNING, 3, 6, "node 'c' can never run");
    assert_int_equal(f->dc.nwarnings, 1);
    assert_true(f->ok);
    assert_false(GRAPH_NODE(f->g, 2)->reachable);
    assert_true(GRAPH_NODE(f->g, 1)->reachable);
    fx_free(f);
}

static void test_queue_storage_warning(void **state) {
    (void)state;
    Fx *f = fx_run("node a(double x, double y) [queue_size = 8000000];\nstart a(1, 2);\n", true);
    FX_EXPECT(f, DIAG_WARNING, 1, 42, "the queue of node 'a' needs about 123 MiB");
    assert_true(f->ok);
    fx_free(f);
}

/* The storage limit counts each item at its smallest size on any target:
** 9 queues of 16777216 items of 8 bytes (a double, an unsigned long long)
** pass 1 GiB; of a struct or an unsigned char, 16 MiB each, they do not. */
static void test_storage_lower_bound(void **state) {
    (void)state;
    const char *types[] = { "double", "unsigned long long", "struct s", "unsigned char" };
    for (int k = 0; k < 4; k++) {
        char src[2048];
        int n = sprintf(src, "graph g [max_exceptions = 1];\n");
        for (int i = 1; i <= 9; i++)
            n += sprintf(src + n, "node b%d(%s x) [queue_size = 16777216];\nstart b%d(0);\n",
                         i, types[k], i);
        Fx *f = fx_run(src, true);
        bool over = fx_has(f, DIAG_ERROR, 16, 0, "over the limit of 1024 MiB");   /* b8 */
        if (over != (k < 2)) {
            diag_print(&f->dc, stderr);
            fail_msg("type '%s': limit error %s", types[k], over ? "reported" : "missing");
        }
        fx_free(f);
    }
}

static void test_switch_error(void **state) {
    (void)state;
    Fx *f = fx_run("node a() {\n  switch (x) {\n  case 1: /* AGDF_YIELD */ AGDF_PASS(); break;\n  }\n}\n"
                   "node b() { switch (x) { case 1: break; } AGDF_PASS(); }\n", true);
    FX_EXPECT(f, DIAG_ERROR, 3, 28, "'AGDF_PASS' inside a switch statement");
    FX_EXPECT(f, DIAG_NOTE, 2, 3, "the switch statement starts here");
    assert_int_equal(f->dc.nerrors, 1);
    assert_int_equal(f->dc.nwarnings, 0);
    fx_free(f);
}

/* After a syntax error only the local checks run: no cascade of unknown
** nodes from a declaration the parser had to skip. */
static void test_no_cascade_after_syntax_error(void **state) {
    (void)state;
    Fx *f = fx_run("node a() -> int [max_tasks = 0];\nnode b(int x];\na -> b;\n", true);
    FX_EXPECT(f, DIAG_ERROR, 1, 30, "max_tasks must be between");
    FX_EXPECT(f, DIAG_ERROR, 2, 13, "syntax error");
    assert_int_equal(f->dc.nerrors, 2);
    fx_free(f);
}

/* A long chain: the checks are iterative, and linear. */
static void test_long_chain_checks(void **state) {
    (void)state;
    const int n = 100000;
    size_t cap = (size_t)n * 64 + 64, len = 0;
    char *s = malloc(cap);
    len += (size_t)sprintf(s, "graph t [max_exceptions = 1]; node n0() -> int;\n");
    for (int i = 1; i < n; i++) len += (size_t)sprintf(s + len, "node n%d(int x) -> int [queue_size = 1];\n", i);
    for (int i = 0; i < n; i++) len += (size_t)sprintf(s + len, i ? " -> n%d" : "n%d", i);
    len += (size_t)sprintf(s + len, " -> n0;\n");
    Fx *f = fx_run_named("t.agdf", s, len, true);
    free(s);
    FX_EXPECT(f, DIAG_ERROR, 100001, 0, "cycle in graph: n0 -> n1 -> n2");
    assert_int_equal(f->dc.nerrors, 1);
    fx_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derived_fields),
        cmocka_unit_test(test_attrs_ok),
        cmocka_unit_test(test_duplicate_node),
        cmocka_unit_test(test_unknown_node),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_two_cycles),
        cmocka_unit_test(test_self_edge),
        cmocka_unit_test(test_attr_errors),
        cmocka_unit_test(test_range_upper),
        cmocka_unit_test(test_type_mismatch),
        cmocka_unit_test(test_start_without_args),
        cmocka_unit_test(test_start_arg_count),
        cmocka_unit_test(test_start_over_queue),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_graph_names),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_duplicate_edge_warning),
        cmocka_unit_test(test_unreachable_warning),
        cmocka_unit_test(test_queue_storage_warning),
        cmocka_unit_test(test_storage_lower_bound),
        cmocka_unit_test(test_switch_error),
        cmocka_unit_test(test_no_cascade_after_syntax_error),
        cmocka_unit_test(test_long_chain_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
