/*
** names.c — the rules a name of the .agdf must follow to be used as an
** identifier of the generated C: C identifier syntax, the C keywords, the
** names reserved by the C standard and by the runtime (agdf*), and the
** macros of the C library and of C compilers, which would be expanded where
** the generated code writes the name bare (docs/language.md, "Reserved
** names").  A leaf module: the parser asks whether a word is a C keyword,
** check.c why a name cannot be used; neither calls the other for it.
*/
#include <string.h>

#include "agdfc.h"

bool names_is_c_keyword(const char *s) {
    static const char *const kw[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do",
        "double", "else", "enum", "extern", "float", "for", "goto", "if",
        "inline", "int", "long", "register", "restrict", "return", "short",
        "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
        "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
        "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
        "_Static_assert", "_Thread_local",
        /* C23 keywords and <stdbool.h> macros: the generated code includes it */
        "bool", "true", "false", "alignas", "alignof", "constexpr", "nullptr",
        "static_assert", "thread_local", "typeof", "typeof_unqual",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (s[0] == kw[i][0] && strcmp(s, kw[i]) == 0) return true;
    return false;
}

bool names_is_ident(const char *s) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'
              || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

bool names_has_prefix(const char *s, const char *p) {
    return strncmp(s, p, strlen(p)) == 0;
}

/* The statement keywords of agdf that the grammar does not turn into
** names at the start of a statement (`node -> x;` begins a declaration). */
bool names_is_agdf_keyword(const char *s) {
    return strcmp(s, "node") == 0 || strcmp(s, "start") == 0 || strcmp(s, "graph") == 0;
}

static bool names_agdf_prefix(const char *s) {
    return (s[0] == 'a' || s[0] == 'A') && (s[1] == 'g' || s[1] == 'G')
        && (s[2] == 'd' || s[2] == 'D') && (s[3] == 'f' || s[3] == 'F');
}

/* Identifiers that C headers or C compilers define as macros (docs/language.md,
** "Reserved names"): a node, parameter or graph name appears bare in the
** generated C (a struct member, a parameter, `struct G`), where a macro of
** the same name would be expanded.  The C99 standard library's macros
** (the generated code and verbatim blocks may include any standard
** header), and the system names GNU modes predefine. */
static bool names_is_c_macro(const char *s) {
    static const char *const lib[] = {
        "NULL", "offsetof", "EOF", "BUFSIZ", "FILENAME_MAX", "FOPEN_MAX", "L_tmpnam",
        "SEEK_CUR", "SEEK_END", "SEEK_SET", "TMP_MAX", "stdin", "stdout", "stderr",
        "errno", "EDOM", "ERANGE", "EILSEQ", "assert", "NDEBUG", "va_arg", "va_copy",
        "va_end", "va_start", "setjmp", "CHAR_BIT", "CHAR_MAX", "CHAR_MIN", "SCHAR_MAX",
        "SCHAR_MIN", "UCHAR_MAX", "SHRT_MAX", "SHRT_MIN", "USHRT_MAX", "INT_MAX",
        "INT_MIN", "UINT_MAX", "LONG_MAX", "LONG_MIN", "ULONG_MAX", "LLONG_MAX",
        "LLONG_MIN", "ULLONG_MAX", "MB_LEN_MAX", "SIZE_MAX", "PTRDIFF_MAX",
        "PTRDIFF_MIN", "SIG_ATOMIC_MAX", "SIG_ATOMIC_MIN", "WCHAR_MAX", "WCHAR_MIN",
        "WINT_MAX", "WINT_MIN", "WEOF", "EXIT_FAILURE", "EXIT_SUCCESS", "RAND_MAX",
        "MB_CUR_MAX", "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "INFINITY", "NAN",
        "MATH_ERRNO", "MATH_ERREXCEPT", "math_errhandling", "fpclassify", "isfinite",
        "isinf", "isnan", "isnormal", "signbit", "isgreater", "isgreaterequal", "isless",
        "islessequal", "islessgreater", "isunordered", "SIGABRT", "SIGFPE", "SIGILL",
        "SIGINT", "SIGSEGV", "SIGTERM", "SIG_DFL", "SIG_ERR", "SIG_IGN",
        "CLOCKS_PER_SEC", "complex", "imaginary", "I", "and", "and_eq", "bitand",
        "bitor", "compl", "not", "not_eq", "or", "or_eq", "xor", "xor_eq", "DECIMAL_DIG",
        "main",
        /* predefined by gcc and clang in GNU modes (-std=gnu99) on some targets */
        "linux", "unix", "i386", "i486", "i586", "i686", "sun", "sparc", "mips", "vax",
    };
    for (size_t i = 0; i < sizeof lib / sizeof lib[0]; i++)
        if (s[0] == lib[i][0] && strcmp(s, lib[i]) == 0) return true;
    /* families: <float.h>, <fenv.h>, <math.h>, <inttypes.h>, <locale.h> */
    static const char *const pre[] = { "FLT_", "DBL_", "LDBL_", "FE_", "FP_", "LC_" };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (names_has_prefix(s, pre[i])) return true;
    if ((names_has_prefix(s, "PRI") || names_has_prefix(s, "SCN")) && s[3] && strchr("diouxX", s[3]))
        return true;
    /* <stdint.h>: INT8_MAX, UINT_LEAST16_MIN, INTMAX_C, ... */
    size_t n = strlen(s);
    bool stdint = names_has_prefix(s, "INT") || names_has_prefix(s, "UINT");
    return stdint && ((n > 4 && strcmp(s + n - 4, "_MAX") == 0)
                      || (n > 4 && strcmp(s + n - 4, "_MIN") == 0)
                      || (n > 2 && strcmp(s + n - 2, "_C") == 0));
}

/* Why a name cannot be a C identifier of the generated code, or NULL.  The
** phrase completes "<what> name 'x' is ...". */
const char *names_reserved_why(const char *s) {
    if (names_is_c_keyword(s)) return "a C keyword";
    if (names_agdf_prefix(s))
        return "reserved: names starting with 'agdf' belong to the runtime";
    if (s[0] == '_' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')))
        return "reserved for the C implementation (it starts with '__' or '_' and a "
               "capital letter)";
    if (names_is_c_macro(s))
        return "a macro of the C library or of C compilers, which the generated C "
               "would expand (see docs/language.md, \"Reserved names\")";
    return NULL;
}
