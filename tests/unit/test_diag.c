/*
** test_diag.c — diag.c: the printed format (file:line:col, level, source
** line, caret), source order with stable ties, notes kept under their
** error, tabs and UTF-8 in the caret padding, diagnostics without a
** position, and the error/warning counters.
*/
#include "front_test.h"

typedef struct Dx {
    Source src;
    DiagCtx dc;
} Dx;

static Dx *dx_open(const char *text) {
    Dx *d = calloc(1, sizeof *d);
    d->src.path = "f.agdf";
    d->src.text = text;
    d->src.len = strlen(text);
    diag_init(&d->dc, &d->src);
    return d;
}

static char *dx_print(Dx *d) {
    return dc_print(&d->dc);
}

static void dx_close(Dx *d) {
    diag_free(&d->dc);
    free(d);
}

static SrcPos at(unsigned line, unsigned col) {
    SrcPos p = { line, col };
    return p;
}

static void test_format(void **state) {
    (void)state;
    Dx *d = dx_open("first line\nsecond line\n");
    diag_error(&d->dc, at(2, 8), "bad %s", "thing");
    char *out = dx_print(d);
    assert_string_equal(out, "f.agdf:2:8: error: bad thing\nsecond line\n       ^\n");
    assert_int_equal(d->dc.nerrors, 1);
    free(out);
    dx_close(d);
}

static void test_source_order_and_notes(void **state) {
    (void)state;
    Dx *d = dx_open("a\nb\nc\n");
    diag_warning(&d->dc, at(3, 1), "w3");
    diag_error(&d->dc, at(2, 1), "e2");
    diag_note(&d->dc, at(1, 1), "note for e2");
    diag_error(&d->dc, at(2, 1), "e2 again");
    diag_error(&d->dc, at(1, 1), "e1");
    char *out = dx_print(d);
    assert_string_equal(out,
        "f.agdf:1:1: error: e1\na\n^\n"
        "f.agdf:2:1: error: e2\nb\n^\n"
        "f.agdf:1:1: note: note for e2\na\n^\n"
        "f.agdf:2:1: error: e2 again\nb\n^\n"
        "f.agdf:3:1: warning: w3\nc\n^\n");
    assert_int_equal(d->dc.nerrors, 3);
    assert_int_equal(d->dc.nwarnings, 1);
    free(out);
    dx_close(d);
}

/* The caret line copies tabs and counts a UTF-8 character once. */
static void test_tabs_and_utf8(void **state) {
    (void)state;
    Dx *d = dx_open("\t\tx = \xc3\xa9y;\n");
    diag_error(&d->dc, at(1, 9), "here");
    char *out = dx_print(d);
    assert_string_equal(out, "f.agdf:1:9: error: here\n\t\tx = \xc3\xa9y;\n\t\t     ^\n");
    free(out);
    dx_close(d);
}

static void test_no_position(void **state) {
    (void)state;
    Dx *d = dx_open("x\n");
    SrcPos none = { 0, 0 };
    diag_error(&d->dc, none, "whole file");
    char *out = dx_print(d);
    assert_string_equal(out, "f.agdf: error: whole file\n");
    free(out);
    dx_close(d);
}

/* A position past the last line (end of file after a newline) prints an
** empty source line; control bytes in the line print as spaces. */
static void test_edges_of_file(void **state) {
    (void)state;
    static const char text[] = "a\001b\nlast";
    Dx *d = dx_open(text);
    diag_error(&d->dc, at(1, 3), "ctl");
    diag_error(&d->dc, at(2, 5), "eof");
    diag_error(&d->dc, at(9, 1), "beyond");
    char *out = dx_print(d);
    assert_string_equal(out, "f.agdf:1:3: error: ctl\na b\n  ^\n"
                             "f.agdf:2:5: error: eof\nlast\n    ^\n"
                             "f.agdf:9:1: error: beyond\n");
    free(out);
    dx_close(d);
}

/* A long line is cut to DIAG_LINE_SHOWN bytes around the caret, each cut
** marked with "...", and the caret still points at its byte. */
static void test_long_line(void **state) {
    (void)state;
    char text[700];
    memset(text, 'a', 300);
    text[300] = 'X';
    memset(text + 301, 'b', 300);
    strcpy(text + 601, "\n");
    Dx *d = dx_open(text);
    diag_error(&d->dc, at(1, 301), "here");
    char *out = dx_print(d);
    char want[1024];
    int n = sprintf(want, "f.agdf:1:301: error: here\n...");
    n += sprintf(want + n, "%.80s%.80s...\n", text + 220, text + 300);
    n += sprintf(want + n, "   %80s^\n", "");
    assert_string_equal(out, want);
    free(out);
    dx_close(d);
}

/* Past the error limit nothing more is kept, and the print ends with the
** stop line and the count. */
static void test_error_limit(void **state) {
    (void)state;
    Dx *d = dx_open("x\n");
    d->dc.error_limit = 2;
    diag_error(&d->dc, at(1, 1), "one");
    diag_error(&d->dc, at(1, 1), "two");
    assert_false(d->dc.stopped);
    diag_error(&d->dc, at(1, 1), "three");
    diag_warning(&d->dc, at(1, 1), "late");
    assert_true(d->dc.stopped);
    assert_int_equal(d->dc.nerrors, 2);
    assert_int_equal(d->dc.diags.len, 2);
    char *out = dx_print(d);
    assert_non_null(strstr(out, "error: two\nx\n^\nagdfc: too many errors emitted, stopping now "
                                "(use -ferror-limit=0 to see all)\n2 errors generated.\n"));
    free(out);
    dx_close(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_source_order_and_notes),
        cmocka_unit_test(test_tabs_and_utf8),
        cmocka_unit_test(test_no_position),
        cmocka_unit_test(test_edges_of_file),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_error_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
