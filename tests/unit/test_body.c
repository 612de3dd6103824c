/*
** test_body.c — the node-body analyses of compiler/body.c.  Most tests are
** tricky-but-correct bodies that must draw no diagnostic at all (a false
** alarm is a bug); the others check that each analysis still fires where it
** should, at the right line and column (the golden files of
** tests/diagnostics/ show the complete messages).
*/
#include "front_test.h"

/* A graph of one node `n` whose body is BODY; %header declares `rec`. */
static Fx *fx_body(const char *body) {
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    fprintf(m, "%%header{\ntypedef struct { int a; int b[4]; } rec;\n%%}\n"
               "node n(int v) -> int state { int i; rec r; } {\n%s}\nstart n(1);\n", body);
    fclose(m);
    Fx *f = fx_run_named("t.agdf", text, len, true);
    free(text);
    return f;
}

#define CLEAN(body) do { Fx *f_ = fx_body(body); FX_CLEAN(f_); fx_free(f_); } while (0)

/* body.c alone on a body the lexer would refuse (unbalanced braces in #if 0). */
static DiagCtx *run_body_only(const char *body, Source *src, Arena *a) {
    static DiagCtx dc;
    static Graph g;
    static Node n;
    memset(&g, 0, sizeof g);
    memset(&n, 0, sizeof n);
    src->path = "t.agdf";
    src->text = body;
    src->len = strlen(body);
    diag_init(&dc, src);
    n.name = "n";
    n.body = body;
    n.body_pos = (SrcPos){ 1, 1 };
    BodyTypes bt;
    body_types_init(&bt, &g, a);
    body_check(&n, &bt, &dc);
    body_types_free(&bt);
    return &dc;
}

/* ---------------------------------------------------------------- no false alarm */

static void test_docs_patterns(void **state) {
    (void)state;
    CLEAN("    for (self->i = 0; self->i < 3; self->i++) {\n"
          "        int sq = self->i * self->i;\n"
          "        AGDF_YIELD(sq);\n"
          "    }\n"
          "    AGDF_SLEEP(40); rec w = {0}; w.a = v; AGDF_YIELD(w.a);\n"
          "    return AGDF_DONE;\n");
}

static void test_params_and_state(void **state) {
    (void)state;
    CLEAN("    AGDF_SLEEP(v);\n"
          "    self->r.a = v + self->i;\n"
          "    AGDF_YIELD(v);\n"
          "    AGDF_YIELD(self->r.a);\n");
}

static void test_branches(void **state) {
    (void)state;
    CLEAN("    int x = v * 2;\n"
          "    if (v > 0) {\n"
          "        AGDF_YIELD(1);\n"
          "    } else if (v < -5) {\n"
          "        AGDF_YIELD(x);\n"
          "    } else {\n"
          "        AGDF_YIELD(x + 1);\n"
          "    }\n"
          "    int y = 0;\n"
          "    if (v) AGDF_PASS(); else y++;\n");
}

static void test_reassigned_and_escaped(void **state) {
    (void)state;
    CLEAN("    int x = 1, y, n;\n"
          "    char buf[16];\n"
          "    rec r;\n"
          "    AGDF_YIELD(x);\n"
          "    x = 3;\n"
          "    snprintf(buf, sizeof buf, \"%d\", x);\n"
          "    if ((y = v) > 0 && y < 10) AGDF_YIELD(y);\n"
          "    sscanf(\"4\", \"%d\", &n);\n"
          "    memset(r.b, 0, sizeof r.b);\n"
          "    fgets(buf, sizeof buf, stdin);\n"
          "    AGDF_YIELD(buf[0] + n + r.b[1]);\n"
          "    AGDF_PASS();\n"
          "    AGDF_YIELD(/* agdf: fresh */ x);\n");
}

static void test_scopes(void **state) {
    (void)state;
    CLEAN("    int x = 1;\n"
          "    AGDF_YIELD(x);\n"
          "    {\n"
          "        int x = 2;\n"
          "        AGDF_YIELD(x);\n"
          "        x = 3;\n"
          "        AGDF_YIELD(x);\n"
          "    }\n"
          "    for (int i = 0; i < 3; i++) { AGDF_YIELD(self->i); i = self->i; }\n"
          "    for (int i = 0; i < 3; i++) v += i;\n"
          "    while (v > 0) { long k = v--; AGDF_YIELD((int)k); }\n");
}

static void test_declaration_shapes(void **state) {
    (void)state;
    CLEAN("    int p = 1, q = 2, a = 3, s = 4;\n"
          "    AGDF_YIELD(p + q + a + s);\n"
          "    {\n"
          "        rec *const p = &self->r;\n"
          "        unsigned long q[2] = { 1, 2 }, *a = q;\n"
          "        struct { int f; } s = { 5 };\n"
          "        const rec *volatile r2 = p;\n"
          "        AGDF_YIELD(p->a + (int)q[1] + (int)*a + s.f + r2->a);\n"
          "    }\n"
          "    { rec r = self->r; AGDF_YIELD(r.a); }\n"
          "    { int (*fp)(int) = abs; AGDF_YIELD(fp(v)); }\n"
          "    { other_t *const p = 0, *volatile q = p; AGDF_YIELD(p == q); }\n");
}

static void test_static_and_sizeof(void **state) {
    (void)state;
    CLEAN("    static int calls;\n"
          "    int x;\n"
          "    AGDF_PASS();\n"
          "    calls++;\n"
          "    AGDF_YIELD((int)sizeof x + (int)sizeof(x) + calls);\n");
}

static void test_members_strings_comments(void **state) {
    (void)state;
    CLEAN("    int a = 1, b = 2;\n"
          "    AGDF_YIELD(a + b);\n"
          "    self->r.a = 1;            /* a and b: fields, not the locals */\n"
          "    self->r.b[0] = 2;         // a b a b\n"
          "    puts(\"a b return 1; switch (a) { AGDF_YIELD(1); }\");\n"
          "    AGDF_YIELD('a');\n");
}

static void test_loops(void **state) {
    (void)state;
    CLEAN("    int x = 1;\n"
          "    do { AGDF_YIELD(x); } while (0);\n"
          "    int y = 2;\n"
          "    for (;;) {\n"
          "        y = v;\n"
          "        if (y > 3) break;\n"
          "        AGDF_PASS();\n"
          "    }\n"
          "    while (1) { int z = v; if (z > 9) break; AGDF_YIELD(z); }\n"
          "    int c = 0;\n"
          "    while ((c = getchar()) != EOF) AGDF_YIELD(c);\n");
}

static void test_switch_without_suspension(void **state) {
    (void)state;
    CLEAN("    switch (v) {\n"
          "    case 1: v = 2; break;\n"
          "    default: { switch (v) case 3: v = 4; } break;\n"
          "    }\n"
          "    AGDF_YIELD(v);\n"
          "    switch (v) case 1: v = 5;\n"
          "    AGDF_YIELD(v);\n"
          "    switch (v) { case 2: if (v) break; }\n"
          "    AGDF_PASS();\n"
          "    if (v) switch (v) { default: break; } else AGDF_PASS();\n"
          "    AGDF_YIELD(({ int t = v; switch (t) { case 1: t = 2; } t; }));\n"
          "    AGDF_RAISE(\"in a switch is fine: %d\", v);\n");
}

static void test_raise_in_switch(void **state) {
    (void)state;
    CLEAN("    switch (v) { case 1: AGDF_RAISE(\"one\"); default: break; }\n"
          "    AGDF_YIELD(v);\n");
}

static void test_preprocessor(void **state) {
    (void)state;
    CLEAN("#define TWICE(x) ((x) * 2)\n"
          "    int k = TWICE(v);\n"
          "#if 0\n"
          "    switch (v) { case 1: AGDF_YIELD(1); }\n"
          "    return 1;\n"
          "#else\n"
          "    AGDF_YIELD(k);\n"
          "#endif\n"
          "#ifdef NEVER_DEFINED\n"
          "    k = 1;\n"
          "#else\n"
          "    AGDF_YIELD(k);\n"
          "#endif\n");
}

static void test_if0_unbalanced(void **state) {
    (void)state;
    Source src;
    Arena a = { 0 };
    DiagCtx *dc = run_body_only("    int x = 1;\n#if 0\n  { { { return 1;\n  switch (x) {\n"
                                "#endif\n    AGDF_YIELD(x);\n  x = 2;\n  AGDF_YIELD(x);\n", &src, &a);
    if (dc->diags.len) diag_print(dc, stderr);
    assert_int_equal(dc->diags.len, 0);
    diag_free(dc);
    arena_free(&a);
}

static void test_goto_and_labels(void **state) {
    (void)state;
    CLEAN("    int x = v;\n"
          "    if (x < 0) goto out;\n"
          "    AGDF_YIELD(x);\n"
          "    x = 0;\n"
          "out:\n"
          "    AGDF_YIELD(x);\n");
}

/* ---------------------------------------------------------------- still reported */

static void test_stale_reads(void **state) {
    (void)state;
    Fx *f = fx_body("    int x = 1;\n"             /* line 5 */
                    "    rec r = { 0 };\n"
                    "    int arr[3] = { 0 };\n"
                    "    AGDF_PASS();\n"
                    "    if (x == 0) v = 1;\n"     /* line 9: == is a read */
                    "    r.a = 2;\n"               /* line 10: a member store is a read */
                    "    arr[0] = 1;\n");          /* line 11: so is an element store */
    FX_EXPECT(f, DIAG_WARNING, 9, 9, "local 'x' is read after AGDF_PASS (line 8)");
    FX_EXPECT(f, DIAG_NOTE, 8, 5, "'x' loses its value at this suspension");
    FX_EXPECT(f, DIAG_WARNING, 10, 5, "local 'r' is read after AGDF_PASS");
    FX_EXPECT(f, DIAG_WARNING, 11, 5, "local 'arr' is read after AGDF_PASS");
    assert_int_equal(f->dc.nwarnings, 3);
    assert_true(f->ok);
    fx_free(f);
}

static void test_stale_loop(void **state) {
    (void)state;
    Fx *f = fx_body("    int sum = 0;\n"
                    "    for (self->i = 0; self->i < 3; self->i++) {\n"
                    "        sum += self->i;\n"    /* line 7: after the yield of the previous turn */
                    "        AGDF_YIELD(self->i);\n"
                    "    }\n");
    FX_EXPECT(f, DIAG_WARNING, 7, 9, "local 'sum' is read after AGDF_YIELD (line 8)");
    assert_int_equal(f->dc.nwarnings, 1);
    fx_free(f);
}

static void test_stale_one_branch(void **state) {
    (void)state;
    Fx *f = fx_body("    int x = 1;\n"
                    "    if (v) AGDF_SLEEP(1);\n"
                    "    AGDF_YIELD(x);\n");
    FX_EXPECT(f, DIAG_WARNING, 7, 16, "local 'x' is read after AGDF_SLEEP (line 6)");
    fx_free(f);
}

/* The local v in the first line makes the parameter v copied. */
#define COPIED_V "    { int v = 0; AGDF_YIELD(v); }\n"

static void test_param_changes_kept(void **state) {
    (void)state;
    CLEAN("    v = 2;\n"                           /* v in place: the change survives */
          "    AGDF_SLEEP(1);\n"
          "    AGDF_YIELD(v);\n");
    CLEAN(COPIED_V
          "    if (v == 2 || v <= 1 || v >= 0 || v != 3) AGDF_PASS();\n"   /* no change */
          "    AGDF_YIELD(v);\n"
          "    for (self->i = 0; self->i < 3; self->i++) {\n"
          "        AGDF_PASS(); v = self->i; AGDF_YIELD(v);\n"
          "    }\n"
          "    { int v = 5; v++; AGDF_PASS(); v = 6; AGDF_YIELD(v); }\n"   /* the local */
          "    v = 1;\n"
          "    goto done;\n"
          "    AGDF_PASS();\n"                     /* unreachable */
          "done:\n"
          "    AGDF_YIELD(v);\n");
}

static void test_param_changes_lost(void **state) {
    (void)state;
    Fx *f = fx_body(COPIED_V                        /* line 5 */
                    "    v = 2;\n"
                    "    AGDF_AWAIT(v > 1);\n");  /* line 7: polled again after a pass */
    FX_EXPECT(f, DIAG_WARNING, 7, 16, "parameter 'v' is read after AGDF_AWAIT (line 7), "
              "where its change (line 6) is lost");
    FX_EXPECT(f, DIAG_NOTE, 7, 5, "'v' gets the item's value again after this suspension");
    FX_EXPECT(f, DIAG_NOTE, 6, 5, "'v' is changed here");
    assert_int_equal(f->dc.nwarnings, 1);
    fx_free(f);
    f = fx_body(COPIED_V
                "again:\n"
                "    if (v > 9) return AGDF_DONE;\n"  /* line 7: after the goto */
                "    v <<= 1;\n"
                "    AGDF_PASS();\n"
                "    goto again;\n");
    FX_EXPECT(f, DIAG_WARNING, 7, 9, "parameter 'v' is read after AGDF_PASS (line 9), "
              "where its change (line 8) is lost");
    assert_int_equal(f->dc.nwarnings, 1);
    fx_free(f);
}

static void test_switch_errors(void **state) {
    (void)state;
    Fx *f = fx_body("    switch (v) { case 1: { AGDF_WAIT_READABLE(0); } }\n"
                    "    switch (v) default: AGDF_OFFLOAD(NULL, NULL);\n"
                    "    int t = ({ switch (v) { case 2: AGDF_AWAIT(v); } 0; });\n"
                    "#ifdef SOMETHING\n"
                    "    switch (v) AGDF_YIELD(1);\n"
                    "#endif\n"
                    "    AGDF_YIELD(t);\n");
    FX_EXPECT(f, DIAG_ERROR, 5, 28, "'AGDF_WAIT_READABLE' inside a switch statement");
    FX_EXPECT(f, DIAG_NOTE, 5, 5, "the switch statement starts here");
    FX_EXPECT(f, DIAG_ERROR, 6, 25, "'AGDF_OFFLOAD' inside a switch statement");
    FX_EXPECT(f, DIAG_ERROR, 7, 37, "'AGDF_AWAIT' inside a switch statement");
    FX_EXPECT(f, DIAG_NOTE, 7, 16, "the switch statement starts here");
    FX_EXPECT(f, DIAG_ERROR, 9, 16, "'AGDF_YIELD' inside a switch statement");
    assert_int_equal(f->dc.nerrors, 4);
    fx_free(f);
}

static void test_returns(void **state) {
    (void)state;
    Fx *f = fx_body("    if (v == 1) return AGDF_DONE;\n"
                    "    if (v == 2) return (AGDF_DONE);\n"
                    "    if (v == 3) return 0;\n"
                    "    if (v == 4) return;\n"
                    "    if (v == 5) return AGDF_SUSPENDED;\n"
                    "    AGDF_YIELD(v);\n");
    FX_EXPECT(f, DIAG_ERROR, 7, 17, "a node body may only return AGDF_DONE");
    FX_EXPECT(f, DIAG_ERROR, 8, 17, "'return;' in a node body");
    FX_EXPECT(f, DIAG_ERROR, 9, 17, "a node body may only return AGDF_DONE");
    assert_int_equal(f->dc.nerrors, 3);
    fx_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_patterns),
        cmocka_unit_test(test_params_and_state),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_reassigned_and_escaped),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_declaration_shapes),
        cmocka_unit_test(test_static_and_sizeof),
        cmocka_unit_test(test_members_strings_comments),
        cmocka_unit_test(test_loops),
        cmocka_unit_test(test_switch_without_suspension),
        cmocka_unit_test(test_raise_in_switch),
        cmocka_unit_test(test_preprocessor),
        cmocka_unit_test(test_if0_unbalanced),
        cmocka_unit_test(test_goto_and_labels),
        cmocka_unit_test(test_stale_reads),
        cmocka_unit_test(test_stale_loop),
        cmocka_unit_test(test_stale_one_branch),
        cmocka_unit_test(test_param_changes_kept),
        cmocka_unit_test(test_param_changes_lost),
        cmocka_unit_test(test_switch_errors),
        cmocka_unit_test(test_returns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
