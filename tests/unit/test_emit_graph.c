/*
** test_emit_graph.c — the pictures of emit_graph.c (--emit=dot and
** --emit=mermaid): edge labels carry the item type, and text that the
** grammar does not produce today but a type may hold tomorrow (quotes,
** backslashes, angle brackets, ampersands, hashes) is escaped for each
** syntax.  The golden files in tests/emit/ cover the ordinary output.
*/
#include "front_test.h"

/* Emits f's graph with fn into a string (caller frees). */
static char *emit_to_string(Fx *f, void (*fn)(const Graph *, FILE *)) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    fn(f->g, m);
    fclose(m);
    return buf;
}

#define ESC_GRAPH "node a() -> T;\nnode b(T x);\na -> b;\n"
#define NASTY "q<\"&#>\\"

/* The edge's label is the source's output type, escaped. */
static Fx *nasty_graph(void) {
    Fx *f = fx_run(ESC_GRAPH, true);
    FX_CLEAN(f);
    GRAPH_NODE(f->g, 0)->outs[0].text = NASTY;
    return f;
}

static void test_dot_escapes_edge_type(void **state) {
    (void)state;
    Fx *f = nasty_graph();
    char *s = emit_to_string(f, emit_dot);
    assert_non_null(strstr(s, "\"a\" -> \"b\" [label=\"q<\\\"&#>\\\\\"];\n"));
    free(s);
    fx_free(f);
}

static void test_mermaid_escapes_edge_type(void **state) {
    (void)state;
    Fx *f = nasty_graph();
    char *s = emit_to_string(f, emit_mermaid);
    assert_non_null(strstr(s, "n_a -->|\"q#lt;#quot;#amp;#35;#gt;\\\"| n_b\n"));
    free(s);
    fx_free(f);
}

static void test_tuple_and_empty_items(void **state) {
    (void)state;
    Fx *f = fx_run("node a() -> (int, double);\nnode b(int x, double y);\n"
                   "node c() -> int;\nnode d() [halt_on_exception = true];\n"
                   "a -> b;\nc -> d;\nd -> b;\n", true);
    char *dot = emit_to_string(f, emit_dot);
    char *mmd = emit_to_string(f, emit_mermaid);
    assert_non_null(strstr(dot, "\"a\" -> \"b\" [label=\"(int, double)\"];"));
    assert_non_null(strstr(dot, "\"c\" -> \"d\" [label=\"int\"];"));
    assert_non_null(strstr(dot, "\"d\" -> \"b\" [label=\"()\"];"));
    assert_non_null(strstr(dot, "halt_on_exception=true\", color=red]"));
    assert_non_null(strstr(mmd, "n_d -->|\"()\"| n_b\n"));
    assert_non_null(strstr(mmd, "halt_on_exception=true\"]:::halt\n"));
    assert_non_null(strstr(mmd, "classDef halt "));
    free(dot);
    free(mmd);
    fx_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dot_escapes_edge_type),
        cmocka_unit_test(test_mermaid_escapes_edge_type),
        cmocka_unit_test(test_tuple_and_empty_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
