/*
** test_body_alias.c — body_param_mode (compiler/body.c): which node
** parameters the generated code may read in place in the input item,
** through a macro of the name or, when the name is also a member, with its
** uses rewritten in the body's text (body_rewrite_params), instead of
** copying them.  Each rule is
** checked both ways on small graphs; one test compiles, with the C
** compiler, the declarations the rules let through, to show that they
** become errors rather than a program that means something else; another
** reads runtime/agdf.h and checks that every name its macros write inside
** a body is refused as an alias.
*/
#include <ctype.h>
#include <strings.h>
#include <unistd.h>

#include "front_test.h"
#include "parse.h"

/* The graph `t`: PRE (verbatim blocks) and node n(PARAMS) ATTRS { BODY }
** (BODY NULL: `;`, a node written in a C file); %header declares T. */
static Fx *fx_alias(const char *pre, const char *params, const char *attrs, const char *body) {
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    fprintf(m, "graph t;\n%%header{\ntypedef struct { int a; } T;\n%%}\n%s\n"
               "node n(%s)%s", pre, params, attrs);
    if (body) fprintf(m, " {\n%s\n}\n", body);
    else fputs(";\n", m);
    fclose(m);
    Fx *f = fx_run_named("t.agdf", text, len, true);
    free(text);
    return f;
}

static Node *fx_node_n(Fx *f) {
    for (int i = 0; f->g && i < GRAPH_NNODES(f->g); i++)
        if (strcmp(GRAPH_NODE(f->g, i)->name, "n") == 0) return GRAPH_NODE(f->g, i);
    diag_print(&f->dc, stderr);
    fail_msg("no node n");
    return NULL;
}

/* body_param_in_place for parameter k of n, the rest as in fx_alias. */
static bool alias_full(const char *pre, const char *params, const char *attrs,
                       const char *body, int k) {
    Fx *f = fx_alias(pre, params, attrs, body);
    bool r = body_param_in_place(f->g, fx_node_n(f), k);
    fx_free(f);
    return r;
}

/* body_param_mode of parameter k, and the body as rewritten (NULL: none). */
static BodyParamMode mode_of(const char *pre, const char *body, int k, char **text) {
    Fx *f = fx_alias(pre, "long v, const char *s", "", body);
    BodyParamMode m = body_param_mode(f->g, fx_node_n(f), k);
    if (text) {
        BodyParamMode all[2] = { body_param_mode(f->g, fx_node_n(f), 0),
                                 body_param_mode(f->g, fx_node_n(f), 1) };
        *text = body_rewrite_params(fx_node_n(f), all);
    }
    fx_free(f);
    return m;
}

static void expect_mode(BodyParamMode want, const char *pre, const char *body) {
    BodyParamMode m = mode_of(pre, body, 0, NULL);
    if (m != want)
        fail_msg("expected mode %d, got %d for v in body:\n%s\nwith:\n%s", want, m, body, pre);
}

#define REW(body) expect_mode(BODY_PARAM_REWRITE, "", (body))

static void expect(bool want, const char *pre, const char *params, const char *body, int k) {
    if (alias_full(pre, params, "", body, k) != want)
        fail_msg("expected %s for parameter %d of (%s) in body:\n%s\nwith:\n%s",
                 want ? "in place" : "a copy", k, params, body, pre);
}

#define PARAMS "long v, const char *s"
#define YES(body)   expect(true, "", PARAMS, (body), 0)
#define NO(body)    expect(false, "", PARAMS, (body), 0)
#define YES_S(body) expect(true, "", PARAMS, (body), 1)
#define NO_S(body)  expect(false, "", PARAMS, (body), 1)

/* ---------------------------------------------------------------- in place */

static void test_plain_uses(void **state) {
    (void)state;
    YES("return v;");
    YES("y = f(a, v);");
    YES("y = (long)v;");
    YES("y = sizeof v;");
    YES("y = sizeof(v);");
    YES("q = &v;");
    YES("v = v + 1;");
    YES("v++; ++v; v += 2; v <<= 1;");
    YES("y = c ? v : 0;");
    YES("y = c ? 1 : v;");
    YES("y = a ? b ? v : 2 : 3;");
    YES("AGDF_YIELD(v);");
    YES("if (v) y = 1; else v = 2;");
    YES("while (v--) y++;");
    YES("do v--; while (v > 0);");
    YES("switch (v) { case 1: break; }");
    YES("y = a[v] + -v * 2;");
    YES("{ long w = v; AGDF_YIELD(w); }");
    YES("return (v);");
    YES("y = (v);");
}

static void test_pointer_uses(void **state) {
    (void)state;
    YES_S("c = *s;");
    YES_S("return *s;");
    YES_S("if (*s == 'x') c = s[1];");
    YES_S("n2 = strlen(s);");
    YES_S("AGDF_YIELD(*s);");
    YES_S("s++; c = (char)*s;");
    YES_S("x = y + **&s;");
}

static void test_ignored_text(void **state) {
    (void)state;
    YES("/* goto v; x.v */ y = v; // int v;\n");
    YES("puts(\"goto v; x.v\"); c = 'v'; y = v;");
    YES("vv = x.vv + v_1 + v;");
    YES("y = 1;");                             /* never named */
}

static void test_body_preprocessor(void **state) {
    (void)state;
    YES("#define TWICE(x) ((x) * 2)\n    y = TWICE(v);\n#undef TWICE\n");
    YES("#if 0\n    y = 'don;\n#endif\n    y = v;\n");
    NO("#define GET(r) ((r).v)\n    y = GET(q);\n");
    NO("#define GET(r) \\\n    ((r).v)\n    y = GET(q) + v;\n");
    NO("#ifdef v\n#endif\n    y = v;\n");
    NO("#undef v\n    y = 1;\n");
    NO("#if v > 0\n    y = 1;\n#endif\n");
    NO("#ifdef X\n    y = v;\n#else\n    int v = 2;\n#endif\n");
}

/* ---------------------------------------------------------------- copied */

/* ---------------------------------------------------------------- rewritten */

/* A member of the same name: in place, the uses rewritten, the members not. */
static void test_members(void **state) {
    (void)state;
    REW("y = self->v;");
    REW("y = x.v;");
    REW("y = p -> v;");
    REW("T r = { .v = 1 }; y = v;");
    REW("AGDF_YIELD((v.v++, v));");
    REW("if (v) y = sizeof(v) + x.v;");
    REW("AGDF_RAISE(\"%ld\", v + x.v);");
    REW("y = (*fp)(v) + x.v;");                /* a call of an expression: no macro */
    REW("#if 0\n    r.v = 1;\n#endif\n    y = v;\n");
    expect_mode(BODY_PARAM_ALIAS, "", "y = v;");
}

/* With a member of the same name, a use inside any other call's
** parentheses is copied: a function-like macro could stringify (#x) or
** paste (##) the rewritten text. */
static void test_members_in_calls(void **state) {
    (void)state;
    NO("y = f(v) + x.v;");
    NO("y = x.v; printf(\"%ld\", v);");
    NO("y = S((T){ v }) + x.v;");
    NO("AGDF_YIELD(f(v, x.v));");
    NO("y = x.v; y += M(1, (v));");
    NO("#define GET(r) ((r).v)\n    y = GET(q) + v;\n");  /* a member on a directive line */
}

/* The text as emitted: uses replaced where they are, the rest byte for byte
** (members, comments, strings, other names, the line breaks). */
static void test_rewritten_text(void **state) {
    char *text = NULL;
    (void)state;
    assert_int_equal(mode_of("", "AGDF_YIELD((v.v++, v)); /* v */\ny = \"v\"[0] + vv + x.v;", 0,
                             &text), BODY_PARAM_REWRITE);
    assert_non_null(text);
    assert_string_equal(text, "\nAGDF_YIELD(((agdf_i->v0).v++, (agdf_i->v0))); /* v */\n"
                              "y = \"v\"[0] + vv + x.v;\n");
    free(text);
    assert_int_equal(mode_of("", "y = v;", 0, &text), BODY_PARAM_ALIAS);
    assert_null(text);
    assert_int_equal(mode_of("", "y = x.v + *s;", 1, &text), BODY_PARAM_ALIAS);
    assert_string_equal(text, "\ny = x.v + *s;\n");  /* v (0) rewritten: no use; s (1) an alias */
    free(text);
}

static void test_declarations(void **state) {
    (void)state;
    NO("{ int v = 1; y = v; }");
    NO("if (y) { long v = 2; AGDF_YIELD(v); }");
    NO("long *v;");
    NO("long **v;");
    NO("long * const v = 0;");
    NO("const long v = 2;");
    NO("static long v;");
    NO("T v;");
    NO("struct v *q;");
    NO("union v u;");
    NO("enum v e;");
    NO("int (*v)(void);");
    NO("struct { int v : 3; } b;");
    NO("__typeof__(y) v;");
    NO("long __attribute__((unused)) v;");
    NO("for (int v = 0; v < 3; v++) y += v;");
    NO("y = v; { long v = 1; }");              /* one bad occurrence is enough */
}

static void test_labels_calls(void **state) {
    (void)state;
    NO("goto v;");
    NO("v: y = 1;");
    NO("switch (y) { case 1: v: y = 2; }");
    NO("y = v(1);");
    NO("y = v (2);");
    NO("v x;");
    NO("y = v \"s\";");
    NO("y = \"s\" v;");
}

/* Shapes that are uses, refused because a declaration looks the same:
** each costs a copy, never a wrong program. */
static void test_false_alarms(void **state) {
    (void)state;
    NO("y = a * v;");
    NO_S("y = f(*s);");
    NO("y = c ? a, v : 0;");
}

static void test_verbatim_blocks(void **state) {
    (void)state;
    expect(false, "%{\n#define GET(r) ((r).v)\n%}\n", PARAMS, "y = GET(q) + v;", 0);
    expect(false, "%{\n#define LOOK \\\n    v\n%}\n", PARAMS, "y = LOOK + v;", 0);
    /* outside directive lines, the name in a block is no macro: rewritten */
    expect_mode(BODY_PARAM_REWRITE, "%header{\nstruct pt { long v; };\n%}\n", "y = v;");
    expect_mode(BODY_PARAM_REWRITE, "%{\n#if 0\nlong v;\n#endif\n%}\n", "y = v;");
    expect_mode(BODY_PARAM_COPY, "%header{\nstruct pt { long v; };\n%}\n", "y = f(v);");
    expect(true, "%{\n/* v */ static long twice(long x) { return 2 * x; }\n%}\n", PARAMS,
           "y = twice(v);", 0);
    expect(true, "%{\n#define GET(r) ((r).v)\n%}\n", PARAMS, "y = *s;", 1);
}

/* ---------------------------------------------------------------- nodes, types */

static void test_node_kinds(void **state) {
    (void)state;
    assert_true(alias_full("", PARAMS, "", "y = v;", 0));
    assert_false(alias_full("", PARAMS, " [input = true]", "y = v;", 0));
    assert_false(alias_full("", PARAMS, "", NULL, 0));          /* a C-file node */
    assert_false(alias_full("", PARAMS, "", "y = v;", 2));
    assert_false(alias_full("", PARAMS, "", "y = v;", -1));
}

/* check.c refuses self-edges and array types before the emitter runs; the
** function still guards: the node is changed after the check here. */
static void test_guards(void **state) {
    (void)state;
    Fx *f = fx_alias("", PARAMS, "", "y = v + *s;");
    Node *nd = fx_node_n(f);
    assert_true(body_param_in_place(f->g, nd, 0));
    int self_edge = nd->id;
    int *succ = nd->succ;
    nd->succ = &self_edge;
    nd->nsucc = 1;
    assert_false(body_param_in_place(f->g, nd, 0));
    nd->succ = succ;
    nd->nsucc = 0;
    const char *text = nd->params[0].type.text;
    nd->params[0].type.text = "long [4]";
    assert_false(body_param_in_place(f->g, nd, 0));
    nd->params[0].type.text = "long (*)(void)";
    assert_false(body_param_in_place(f->g, nd, 0));
    nd->params[0].type.text = text;
    assert_true(body_param_in_place(f->g, nd, 0));
    fx_free(f);
}

static void expect_name(bool want, const char *name) {
    char params[64], body[64];
    snprintf(params, sizeof params, "long %s", name);
    snprintf(body, sizeof body, "y = %s;", name);
    expect(want, "", params, body, 0);
}

static void test_generated_names(void **state) {
    (void)state;
    expect_name(false, "v0");                  /* the item's members */
    expect_name(false, "v12");
    expect_name(false, "t_total");             /* the graph's names: t_* */
    expect_name(false, "p");                   /* runtime/agdf.h: agdf_w->p, ->n */
    expect_name(false, "n");
    expect_name(false, "lc");
    expect_name(true, "v0x");
    expect_name(true, "vx");
    expect_name(true, "np");
    expect_name(true, "total");
}

/* ---------------------------------------------------------------- the C compiler */

/* Declarations of the name the rules let through: in the macro form the
** generated code uses, each must be a C compile error, reported (as the
** error or as gcc's "in expansion of macro" note) at its own .agdf line. */
static void test_missed_declarations_fail(void **state) {
    (void)state;
    static const char *const decl[] = {
        "int a, v;",
        "int a, *v;",
        "long a = 0, v = a;",
        "enum { A, v };",
        "int (v) = 1;",
        "struct { int a; } v;",
    };
    enum { N = sizeof decl / sizeof decl[0] };
    char dir[] = "/tmp/agdf_alias_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.c", dir);
    FILE *c = fopen(path, "w");
    assert_non_null(c);
    fputs("struct item { long v0; };\n", c);
    for (int i = 0; i < N; i++) {
        assert_true(alias_full("", PARAMS, "", decl[i], 0));
        fprintf(c, "#line %d \"gen.c\"\n#define v (agdf_i->v0)\n"
                   "long f%d(struct item *agdf_i) {\n#line %d \"t.agdf\"\n    %s\n"
                   "    return v;\n}\n#undef v\n", 10 * i + 2, i, 100 + 10 * i, decl[i]);
    }
    fclose(c);
    const char *cc = getenv("CC");
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s -std=c99 -fsyntax-only %s 2>&1", cc && *cc ? cc : "cc", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    bool seen[N] = { false }, in_error = false;
    while (fgets(line, sizeof line, p)) {
        int ln;
        if (strstr(line, ": error:")) in_error = true;
        else if (strstr(line, ": warning:")) in_error = false;
        if (sscanf(line, "t.agdf:%d:", &ln) == 1 && ln >= 100 && ln < 100 + 10 * N
            && ln % 10 == 0 && in_error)
            seen[(ln - 100) / 10] = true;
    }
    int status = pclose(p);
    remove(path);
    rmdir(dir);
    assert_int_not_equal(status, 0);
    for (int i = 0; i < N; i++)
        if (!seen[i]) fail_msg("no C compile error at the line of `%s` in the macro form", decl[i]);
}

/* ---------------------------------------------------------------- runtime/agdf.h */

/* Calls fn on each identifier a macro of text writes in its replacement
** (not its parameters, not inside literals); text has no comments or
** continuations left. */
static int macro_names(char *text, void (*fn)(const char *)) {
    int count = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *p = line;
        while (*p == ' ') p++;
        if (*p++ != '#') continue;
        while (*p == ' ') p++;
        if (strncmp(p, "define", 6) != 0) continue;
        p += 6;
        while (*p == ' ') p++;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        char params[512] = " ";
        if (*p == '(') {
            char *end = strchr(p, ')');
            if (!end) continue;
            snprintf(params + 1, sizeof params - 1, "%.*s ", (int)(end - p - 1), p + 1);
            for (char *q = params; *q; q++) if (*q == ',') *q = ' ';
            p = end + 1;
        }
        while (*p) {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                while (*p && *p != q) p += p[0] == '\\' && p[1] ? 2 : 1;
                if (*p) p++;
            } else if (isdigit((unsigned char)*p)) {
                while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
            } else if (isalpha((unsigned char)*p) || *p == '_') {
                char word[128], key[132];
                size_t n = 0;
                while ((isalnum((unsigned char)*p) || *p == '_') && n < sizeof word - 1)
                    word[n++] = *p++;
                word[n] = '\0';
                snprintf(key, sizeof key, " %s ", word);
                if (!strstr(params, key)) { fn(word); count++; }
            } else p++;
        }
    }
    return count;
}

static int runtime_checked;

/* A name a runtime macro writes must not become an alias, unless a
** parameter cannot have it anyway (check.c refuses it). */
static void runtime_name(const char *w) {
    if (names_is_c_keyword(w) || strncasecmp(w, "agdf", 4) == 0
        || (w[0] == '_' && (w[1] == '_' || isupper((unsigned char)w[1]))))
        return;
    runtime_checked++;
    expect_name(false, w);
}

static void test_runtime_macro_names(void **state) {
    (void)state;
    FILE *h = fopen("runtime/agdf.h", "r");
    if (!h) fail_msg("runtime/agdf.h: run from the repository's root (tests/run.sh does)");
    char *text = calloc(1, 1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, h);
    fclose(h);
    assert_true(len > 0 && len < (1 << 20) - 1);
    char *w = text;                            /* drop comments and continuations */
    for (char *r = text; *r;) {
        if (r[0] == '/' && r[1] == '*') {
            char *e = strstr(r + 2, "*/");
            r = e ? e + 2 : r + strlen(r);
            *w++ = ' ';
        } else if (r[0] == '/' && r[1] == '/') {
            while (*r && *r != '\n') r++;
        } else if (r[0] == '\\' && r[1] == '\n') {
            r += 2;
            *w++ = ' ';
        } else *w++ = *r++;
    }
    *w = '\0';
    int names = macro_names(text, runtime_name);
    free(text);
    assert_true(names > 100);                  /* the scan read the macros */
    assert_true(runtime_checked >= 5);         /* memcpy, self, p, n, lc at least */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_uses),
        cmocka_unit_test(test_pointer_uses),
        cmocka_unit_test(test_ignored_text),
        cmocka_unit_test(test_body_preprocessor),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_members_in_calls),
        cmocka_unit_test(test_rewritten_text),
        cmocka_unit_test(test_declarations),
        cmocka_unit_test(test_labels_calls),
        cmocka_unit_test(test_false_alarms),
        cmocka_unit_test(test_verbatim_blocks),
        cmocka_unit_test(test_node_kinds),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_generated_names),
        cmocka_unit_test(test_missed_declarations_fail),
        cmocka_unit_test(test_runtime_macro_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
