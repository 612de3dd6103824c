/*
** main.c — the agdfc command line.  Reads one .agdf file (or standard input
** for "-"), runs the phases (parse, check, emit), prints every diagnostic in
** source order on standard error, and writes the requested output.  Output
** files are written to a temporary file in the same directory and renamed
** into place only when everything succeeded, so a failed compilation never
** leaves a half-written file and never touches an existing one.
**
** Exit status: 0 success (warnings allowed), 1 errors in the input,
** 2 usage or I/O errors.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agdfc.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef enum EmitKind { EMIT_C, EMIT_H, EMIT_DOT, EMIT_MERMAID, EMIT_JSON } EmitKind;

typedef struct Options {
    const char *input;       /* path, or "-" for standard input */
    const char *output;      /* -o, or NULL */
    EmitKind emit;
    bool line_directives;
    bool with_main;
    bool depfile;            /* -MD, or implied by -MF/-MT: write a make rule */
    const char *depfile_path;/* -MF, or NULL: the output's name with .d */
    const char **dep_targets;/* -MT values in order (argc slots), verbatim */
    int ndep_targets;
    int error_limit;         /* -ferror-limit=N; 0: none */
} Options;

static const char usage_text[] =
    "usage: agdfc [options] FILE.agdf\n"
    "Compiles an agdf graph to C (FILE.c and FILE.h), or draws it.\n"
    "\n"
    "  -o FILE            output file (\"-\": standard output); for C, the header\n"
    "                     is written beside it with the extension .h\n"
    "  --emit=KIND        c (default): C source and header; h: header only;\n"
    "                     dot, mermaid: a picture of the graph; json: the checked\n"
    "                     graph for other tools (dot/mermaid/json go to standard\n"
    "                     output unless -o is given)\n"
    "  --no-line          no #line directives in the generated C\n"
    "  --main             add a main() to the generated C\n"
    "  -MD                also write a dependency file for make (FILE.d beside\n"
    "                     the output): the outputs depend on the .agdf file\n"
    "  -MF FILE           write the dependency file to FILE (implies -MD)\n"
    "  -MT TARGET         the rule's target instead of the output files\n"
    "                     (repeatable; implies -MD)\n"
    "  -ferror-limit=N, --error-limit=N\n"
    "                     stop after N errors (default 20; 0: no limit)\n"
    "  --version          print the version and exit\n"
    "  -h, --help         print this help and exit\n"
    "\n"
    "FILE may be \"-\" for standard input.  Without -o, C goes to NAME.c and\n"
    "NAME.h in the current directory (NAME: the file's basename).\n"
    "Exit status: 0 ok, 1 errors in the input, 2 usage or I/O error.\n"
    "Manual: man agdfc (docs/agdfc.1 in the source tree).\n";

static int main_usage_error(const char *fmt, const char *arg) {
    fputs("agdfc: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'agdfc --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

static bool main_parse_emit_kind(const char *s, EmitKind *k) {
    static const struct { const char *name; EmitKind kind; } kinds[] = {
        {"c", EMIT_C}, {"h", EMIT_H}, {"dot", EMIT_DOT},
        {"mermaid", EMIT_MERMAID}, {"json", EMIT_JSON},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(s, kinds[i].name) == 0) { *k = kinds[i].kind; return true; }
    return false;
}

static int main_check_dep_options(const Options *o);
/* "-ferror-limit=N": N a decimal count, 0 ... INT_MAX. */
static bool main_parse_count(const char *s, int *out) {
    long long v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (*s - '0');
        if (v > 2147483647LL) return false;
    }
    *out = (int)v;
    return true;
}

/* Returns -1 to go on, else the exit status. */
static int main_parse_args(int argc, char **argv, Options *o) {
    memset(o, 0, sizeof *o);
    o->line_directives = true;
    o->dep_targets = util_xmalloc((size_t)argc * sizeof *o->dep_targets);
    o->error_limit = DIAG_ERROR_LIMIT;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->input) return main_usage_error("more than one input file: '%s'", a);
            o->input = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("agdfc %s\n", AGDFC_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0) {
            if (++i >= argc) return main_usage_error("%s needs a file name", "-o");
            o->output = argv[i];
        } else if (strncmp(a, "-o", 2) == 0) {
            o->output = a + 2;
        } else if (strncmp(a, "--emit=", 7) == 0 || strcmp(a, "--emit") == 0) {
            const char *k = a[6] == '=' ? a + 7 : (++i < argc ? argv[i] : NULL);
            if (!k)
                return main_usage_error("%s needs a kind: c, h, dot, mermaid or json", "--emit");
            if (!main_parse_emit_kind(k, &o->emit))
                return main_usage_error("unknown --emit kind '%s' (c, h, dot, mermaid or json)", k);
        } else if (strcmp(a, "--no-line") == 0) {
            o->line_directives = false;
        } else if (strcmp(a, "--main") == 0) {
            o->with_main = true;
        } else if (strcmp(a, "-MD") == 0) {
            o->depfile = true;
        } else if (strncmp(a, "-MF", 3) == 0 || strncmp(a, "-MT", 3) == 0) {
            const char *v = a[3] ? a + 3 : (++i < argc ? argv[i] : NULL);
            if (!v || !*v)
                return main_usage_error(a[2] == 'F' ? "%s needs a file name"
                                                    : "%s needs a target",
                                        a[2] == 'F' ? "-MF" : "-MT");
            if (a[2] == 'F') o->depfile_path = v;
            else o->dep_targets[o->ndep_targets++] = v;
            o->depfile = true;
        } else if (strncmp(a, "-ferror-limit=", 14) == 0 || strncmp(a, "--error-limit=", 14) == 0) {
            if (!main_parse_count(a + 14, &o->error_limit))
                return main_usage_error("%s: the error limit is a count (0: no limit)", a);
        } else {
            return main_usage_error("unknown option '%s'", a);
        }
    }
    if (!o->input) return main_usage_error("%s", "no input file");
    return o->depfile ? main_check_dep_options(o) : -1;
}

/* Reads the whole input, NUL-terminated (the lexer's sentinel). */
static bool main_read_source(const char *path, Source *src) {
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "agdfc: cannot open '%s': %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    size_t cap = 1 << 16, len = 0;
    if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
        cap = (size_t)st.st_size + 2;             /* read it in one go */
    char *buf = util_big_alloc(cap);
    for (;;) {
        if (cap - len < 2) {
            char *bigger = util_big_alloc(cap * 2);
            memcpy(bigger, buf, len);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
    }
    bool ok = !ferror(f);
    if (!ok) fprintf(stderr, "agdfc: cannot read '%s': %s\n", path, strerror(errno));
    if (!is_stdin) fclose(f);
    if (!ok) { free(buf); return false; }
    buf[len] = '\0';
    src->path = is_stdin ? "<stdin>" : path;
    src->text = buf;
    src->len = len;
    return true;
}

/* ---------------------------------------------------------------- output */

/* An output being written: to stdout, straight to a special file such as
** /dev/null, or to a temporary file renamed onto `path` by main_out_commit. */
typedef struct Output {
    const char *path;        /* final name, NULL for standard output */
    char *tmp;               /* temporary name, NULL when writing directly */
    FILE *f;
} Output;

static bool main_out_open(Output *o, const char *path) {
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) { o->f = stdout; return true; }
    o->path = path;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "wb");               /* /dev/null, a pipe, ... */
    } else {
        size_t n = strlen(path);
        o->tmp = util_xmalloc(n + 16);
        snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
        int fd = mkstemp(o->tmp);
        o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (fd >= 0 && !o->f) close(fd);
    }
    if (!o->f) {
        fprintf(stderr, "agdfc: cannot write '%s': %s\n", path, strerror(errno));
        if (o->tmp) { unlink(o->tmp); free(o->tmp); o->tmp = NULL; }
        return false;
    }
    return true;
}

/* Flushes and closes; on failure removes the temporary file. */
static bool main_out_close(Output *o) {
    bool ok = !ferror(o->f);
    if (o->f == stdout) ok = fflush(stdout) == 0 && ok;
    else ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (!ok) {
        fprintf(stderr, "agdfc: error writing '%s': %s\n",
                o->path ? o->path : "<stdout>", strerror(errno));
        if (o->tmp) unlink(o->tmp);
    }
    return ok;
}

/* mkstemp makes the file 0600; an output file gets the usual 0666 & ~umask. */
static bool main_out_commit(Output *o) {
    bool ok = true;
    if (o->tmp) {
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, 0666 & ~mask);
        if (rename(o->tmp, o->path) != 0) {
            fprintf(stderr, "agdfc: cannot write '%s': %s\n", o->path, strerror(errno));
            unlink(o->tmp);
            ok = false;
        }
        free(o->tmp);
        o->tmp = NULL;
    }
    return ok;
}

static void main_out_abandon(Output *o) {
    if (o->tmp) { unlink(o->tmp); free(o->tmp); o->tmp = NULL; }
}

/* "dir/etl.agdf" -> "etl" (the default output base for C). */
static char *main_base_name(const char *path, const char *ext) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    char *s = util_xmalloc(n + strlen(ext) + 1);
    memcpy(s, b, n);
    strcpy(s + n, ext);
    return s;
}

/* main_with_ext("out/etl.c", ".h") -> "out/etl.h": the extension replaced, or added. */
static char *main_with_ext(const char *path, const char *ext) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t n = dot && (!slash || dot > slash + 1) ? (size_t)(dot - path) : strlen(path);
    char *s = util_xmalloc(n + strlen(ext) + 1);
    memcpy(s, path, n);
    strcpy(s + n, ext);
    return s;
}

static char *main_dup_str(const char *s) {
    return strcpy(util_xmalloc(strlen(s) + 1), s);
}

/* The files a run writes: files[0] the main output ("-" for standard output),
** files[1] the header beside a .c file or NULL.  IN names the input (the graph's
** name for standard input).  Returns how many are named files; free both. */
static int main_output_files(const Options *opt, const char *in, char *files[2]) {
    files[1] = NULL;
    if (opt->output) files[0] = main_dup_str(opt->output);
    else if (opt->emit == EMIT_C || opt->emit == EMIT_H)
        files[0] = main_base_name(in, opt->emit == EMIT_H ? ".h" : ".c");
    else files[0] = main_dup_str("-");            /* pictures and JSON: stdout */
    if (strcmp(files[0], "-") == 0) return 0;
    if (opt->emit == EMIT_C) files[1] = main_with_ext(files[0], ".h");
    return files[1] ? 2 : 1;
}

static int main_write_c(const Graph *g, const Options *opt, const Source *src) {
    const char *in = strcmp(opt->input, "-") == 0 ? g->name : opt->input;
    char *files[2];
    bool to_stdout = main_output_files(opt, in, files) == 0;
    char *cpath = files[0], *hpath = files[1];
    const char *target = cpath;
    char *hname = hpath ? main_base_name(hpath, ".h")
                        : main_base_name(opt->emit == EMIT_H && !to_stdout ? target : in, ".h");
    EmitOpts eo = { opt->line_directives, opt->with_main, hname, src->path, NULL };
    Output oc, oh;
    bool ok = main_out_open(&oc, target);
    if (ok) {
        eo.out_path = to_stdout ? NULL : target;     /* #line names it as written */
        if (opt->emit == EMIT_H) emit_h(g, &eo, oc.f);
        else emit_c(g, &eo, oc.f);
        ok = main_out_close(&oc);
    }
    if (ok && hpath) {
        ok = main_out_open(&oh, hpath);
        if (ok) {
            eo.out_path = hpath;
            emit_h(g, &eo, oh.f);
            ok = main_out_close(&oh);
            ok = ok && main_out_commit(&oh);
        }
    }
    if (ok) ok = main_out_commit(&oc);
    else main_out_abandon(&oc);
    free(cpath);
    free(hpath);
    free(hname);
    return ok ? 0 : EXIT_USAGE;
}

static int main_write_graph(const Graph *g, const Options *opt, const Source *src) {
    Output o;
    if (!main_out_open(&o, opt->output)) return EXIT_USAGE;
    switch (opt->emit) {
    case EMIT_DOT: emit_dot(g, o.f); break;
    case EMIT_MERMAID: emit_mermaid(g, o.f); break;
    default: emit_json(g, src, o.f); break;
    }
    bool ok = main_out_close(&o) && main_out_commit(&o);
    return ok ? 0 : EXIT_USAGE;
}

/* ---------------------------------------------------------------- depfile */

/* The dependency file's name: -MF, else the output's name with .d, else (output
** on standard output) the input's basename with .d, as gcc -MD does. */
static char *main_depfile_name(const Options *o, char *const files[2], int nfiles) {
    if (o->depfile_path) return main_dup_str(o->depfile_path);
    return nfiles > 0 ? main_with_ext(files[0], ".d") : main_base_name(o->input, ".d");
}

/* -MD's usage errors, found before anything is compiled: the rule needs a named
** input, a target, names make can read, and a file that is none of the others. */
static int main_check_dep_options(const Options *o) {
    if (strcmp(o->input, "-") == 0)
        return main_usage_error("%s needs a named input file, not standard input", "-MD");
    char *files[2];
    int n = main_output_files(o, o->input, files);
    char *dep = main_depfile_name(o, files, n);
    int rc = -1;
    if (n == 0 && o->ndep_targets == 0)
        rc = main_usage_error("%s: the output goes to standard output; name the rule's target "
                         "with -MT", "-MD");
    const char *names[3] = { o->input, n > 0 ? files[0] : NULL, dep };
    for (int i = 0; i < 3 + o->ndep_targets && rc < 0; i++) {
        const char *s = i < 3 ? names[i] : o->dep_targets[i - 3];
        if (s && strchr(s, '\n'))
            rc = main_usage_error("'%s': a name with a newline cannot be written in a "
                             "dependency file", s);
    }
    for (int i = 0; i < n && rc < 0; i++)
        if (strcmp(dep, files[i]) == 0)
            rc = main_usage_error("the dependency file '%s' would overwrite an output; "
                             "name it with -MF", dep);
    if (rc < 0 && strcmp(dep, o->input) == 0)
        rc = main_usage_error("the dependency file '%s' would overwrite the input", dep);
    free(files[0]);
    free(files[1]);
    free(dep);
    return rc;
}

/* Writes NAME as make reads it: a space or tab escaped with a backslash (the
** backslashes before it doubled), '$' as "$$", '#' as "\#" (what gcc does). */
static void main_dep_put_name(FILE *f, const char *name) {
    for (const char *p = name; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            for (const char *q = p; q > name && q[-1] == '\\'; q--) fputc('\\', f);
            fputc('\\', f);
        } else if (*p == '$') {
            fputc('$', f);
        } else if (*p == '#') {
            fputc('\\', f);
        }
        fputc(*p, f);
    }
}

/* Opens the dependency file (a temporary file beside it) before any output is
** written, so that a dependency file that cannot be written (no such
** directory, a directory) stops the run before it changed anything. */
static bool main_open_depfile(const Options *o, Output *out) {
    char *files[2];
    int n = main_output_files(o, o->input, files);
    char *dep = main_depfile_name(o, files, n);
    bool ok = main_out_open(out, dep);
    if (ok) {
        out->path = dep;                /* main_out_commit renames onto it; freed by the caller */
    } else {
        out->path = NULL;
        free(dep);
    }
    free(files[0]);
    free(files[1]);
    return ok;
}

/* Writes the rule "OUTPUTS: INPUT ...", then an empty rule for each prerequisite
** after the input (as gcc -MP), so that a file the graph no longer pulls in does
** not stop make, into the file main_open_depfile opened.  Called only after the
** outputs were written; the file is committed like them, whole or not at all. */
static int main_write_depfile(const Options *o, Output *out) {
    char *files[2];
    int n = main_output_files(o, o->input, files);
    const char *prereqs[] = { o->input };  /* a graph pulls in no other file yet */
    size_t nprereqs = sizeof prereqs / sizeof prereqs[0];
    for (int i = 0; i < o->ndep_targets; i++)    /* -MT: verbatim, as gcc */
        fprintf(out->f, "%s%s", i ? " " : "", o->dep_targets[i]);
    for (int i = 0; i < n && o->ndep_targets == 0; i++) {
        if (i) fputc(' ', out->f);
        main_dep_put_name(out->f, files[i]);
    }
    fputc(':', out->f);
    for (size_t i = 0; i < nprereqs; i++) {
        fputc(' ', out->f);
        main_dep_put_name(out->f, prereqs[i]);
    }
    fputc('\n', out->f);
    for (size_t i = 1; i < nprereqs; i++) {
        fputc('\n', out->f);
        main_dep_put_name(out->f, prereqs[i]);
        fputs(":\n", out->f);
    }
    bool ok = main_out_close(out) && main_out_commit(out);
    free(files[0]);
    free(files[1]);
    return ok ? 0 : EXIT_USAGE;
}

int main(int argc, char **argv) {
    Options opt;
    int rc = main_parse_args(argc, argv, &opt);
    Source src;
    if (rc < 0 && !main_read_source(opt.input, &src)) rc = EXIT_USAGE;
    if (rc >= 0) {
        free(opt.dep_targets);
        return rc;
    }

    Arena arena = { NULL };
    DiagCtx dc;
    diag_init(&dc, &src);
    dc.error_limit = opt.error_limit;
    Graph *g = parse_source(&src, &dc, &arena);
    check_graph(g, &dc, &arena);
    fflush(stdout);
    diag_print(&dc, stderr);
    Output dep = { NULL, NULL, NULL };
    if (dc.nerrors > 0) rc = EXIT_INPUT;
    else if (opt.depfile && !main_open_depfile(&opt, &dep)) rc = EXIT_USAGE;
    else if (opt.emit == EMIT_C || opt.emit == EMIT_H) rc = main_write_c(g, &opt, &src);
    else rc = main_write_graph(g, &opt, &src);
    if (dep.f && rc == 0) rc = main_write_depfile(&opt, &dep);
    else if (dep.f) {                       /* nothing written: no dependency file */
        if (dep.f != stdout) fclose(dep.f);
        main_out_abandon(&dep);
    }
    free((char *)dep.path);

    diag_free(&dc);
    parse_graph_free(g);
    arena_free(&arena);
    free((char *)src.text);
    free(opt.dep_targets);
    return rc;
}
