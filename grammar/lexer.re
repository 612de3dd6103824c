/*
** lexer.re — the agdf lexer (re2c).  Turns the bytes of a .agdf file into
** the parser's tokens, each with its line and column.  The language is a
** thin shell around C, so besides the usual identifiers, integers and
** punctuation the lexer swallows whole C fragments as single tokens: a
** `{ ... }` body or state block (braces matched, braces inside string and
** character literals and comments skipped), a `%{ ... %}` or
** `%header{ ... %}` verbatim block, and the parenthesised argument list
** after `start NAME`.  Malformed input (an unterminated comment, literal,
** body or block; NUL or stray bytes) is reported to the DiagCtx at the
** position where the construct opened, and lexing goes on: the lexer never
** fails and never reads past the end of the source.
*/
#include <string.h>

#include "agdfc.h"
#include "parser.h"

/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;
*/

typedef const unsigned char *Ptr;

static SrcPos lex_pos(const Lexer *lx, const char *p) {
    SrcPos pos = { lx->line, (uint32_t)(p - lx->line_start) + 1 };
    return pos;
}

/* p points at a '\n' just consumed. */
static void lex_newline(Lexer *lx, const char *p) {
    lx->line++;
    lx->line_start = p + 1;
}

/* Skips a block comment whose "/" "*" was just consumed. */
static void lex_block_comment(Lexer *lx, SrcPos open) {
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    for (;;) {
        /*!re2c
            "*" "/" { lx->cur = (const char *)YYCURSOR; return; }
            "\n"    { lex_newline(lx, (const char *)YYCURSOR - 1); continue; }
            $       { diag_error(lx->dc, open, "unterminated comment");
                      lx->cur = lx->end; lx->ran_off_end = true; return; }
            *       { continue; }
        */
    }
}

/* Skips a C string or character literal whose opening quote q was just
** consumed.  A literal ends at its quote; a raw newline ends it too (C does
** not allow one), with an error, so that one stray quote does not swallow
** the rest of the file. */
static void lex_c_literal(Lexer *lx, char q, SrcPos open) {
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    for (;;) {
        Ptr tok = YYCURSOR;
        /*!re2c
            "\\" "\r"? "\n" { lex_newline(lx, (const char *)YYCURSOR - 1); continue; }
            "\\" [^\n]      { continue; }
            ["']            { if (*tok == (unsigned char)q) { lx->cur = (const char *)YYCURSOR; return; }
                              continue; }
            "\n"            { lx->cur = (const char *)tok;
                              diag_error(lx->dc, open, "missing terminating %c character", q);
                              return; }
            $               { lx->cur = lx->end;
                              lx->ran_off_end = true;
                              diag_error(lx->dc, open, "missing terminating %c character", q);
                              return; }
            *               { continue; }
        */
    }
}

/* Preprocessor directives in C text.  A directive is C for the C compiler,
** not C text to match: `#error don't` is not a character literal, and an
** `#if 0` group may hold a lone quote or brace.  The lexer cannot evaluate
** conditions, so it follows the branch a reader would: an `#if 0` group is
** skipped, any other conditional counts its first branch only (its `#else`
** and `#elif` branches are skipped up to the `#endif`), the way editors and
** indexers read C.  Skipped text stays in the token unchanged. */
typedef enum LexPp { PP_OTHER, PP_IF0, PP_IF, PP_ELSE, PP_ENDIF } LexPp;

static bool lex_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool lex_word_is(const char *w, size_t n, const char *s) {
    return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* Classifies the directive whose '#' ends just before p. */
static LexPp lex_pp_kind(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    const char *w = p;
    while (p < end && lex_ident_char(*p)) p++;
    size_t n = (size_t)(p - w);
    if (lex_word_is(w, n, "if")) {
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (p == end || *p != '0') return PP_IF;
        for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r'); p++) {}
        return p == end || *p == '\n' || *p == '/' ? PP_IF0 : PP_IF;
    }
    if (lex_word_is(w, n, "ifdef") || lex_word_is(w, n, "ifndef")) return PP_IF;
    if (lex_word_is(w, n, "else") || lex_word_is(w, n, "elif")
        || lex_word_is(w, n, "elifdef") || lex_word_is(w, n, "elifndef"))
        return PP_ELSE;
    return lex_word_is(w, n, "endif") ? PP_ENDIF : PP_OTHER;
}

/* Skips the rest of a directive line whose '#' was just consumed, up to
** (not including) the newline that ends it: backslash continuations and
** block comments (which may span lines) are all that count. */
static LexPp lex_directive(Lexer *lx) {
    LexPp kind = lex_pp_kind(lx->cur, lx->end);
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    for (;;) {
        Ptr tok = YYCURSOR;
        /*!re2c
            "\\" "\r"? "\n" { lex_newline(lx, (const char *)YYCURSOR - 1); continue; }
            "/" "*"         { lx->cur = (const char *)YYCURSOR;
                              lex_block_comment(lx, lex_pos(lx, (const char *)tok));
                              YYCURSOR = (Ptr)lx->cur; continue; }
            "\n"            { lx->cur = (const char *)tok; return kind; }
            $               { lx->cur = lx->end; return kind; }
            *               { continue; }
        */
    }
}

/* Skips a conditional group: lx->cur is at the newline ending the directive
** that opened it.  Stops after the `#endif` that closes it, or with
** at_else after an `#else`/`#elif` of the same level; nested conditionals
** are followed.  Lines other than directives are not looked at. */
static void lex_skip_group(Lexer *lx, bool at_else) {
    int depth = 0;
    while (lx->cur < lx->end) {
        const char *p = lx->cur;
        if (*p != '\n') {                              /* the rest of a line */
            const char *nl = memchr(p, '\n', (size_t)(lx->end - p));
            lx->cur = nl ? nl : lx->end;
            continue;
        }
        lex_newline(lx, p);
        for (p++; p < lx->end && (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r'); p++) {}
        lx->cur = p;
        if (p == lx->end || *p != '#') continue;
        lx->cur = p + 1;
        LexPp kind = lex_directive(lx);
        if (kind == PP_IF || kind == PP_IF0) depth++;
        else if (kind == PP_ENDIF && depth-- == 0) return;
        else if (kind == PP_ELSE && depth == 0 && at_else) return;
    }
}

/* Scans C text up to the bracket that closes the one just consumed: '}' for
** a body or state block (only braces count), ')' for start arguments (all
** of () [] {} count).  Preprocessor directive lines (first non-blank byte
** '#') and the conditional groups they skip are passed over (see above).
** Returns one past the text; lx->cur ends after the
** closing bracket.  At the end of the file the error names what opened. */
static const char *lex_balanced(Lexer *lx, char open_ch, SrcPos open, const char *what) {
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    int depth = 1;
    bool args = open_ch == '(';
    for (;;) {
        Ptr tok = YYCURSOR;
        /*!re2c
            "{"         { depth++; continue; }
            "(" | "["   { depth += args; continue; }
            ";"         { if (!args || depth > 1) continue;
                          /* no C argument holds a ';' outside brackets: the
                          ** ')' is missing; the statement ends here */
                          diag_error(lx->dc, open, "unterminated %s: missing ')'", what);
                          lx->cur = (const char *)tok;
                          return (const char *)tok; }
            ")" | "]" | "}" {
                          if (!args && *tok != '}') continue;
                          if (--depth > 0) continue;
                          lx->cur = (const char *)YYCURSOR;
                          return (const char *)tok; }
            ["']        { lx->cur = (const char *)YYCURSOR;
                          lex_c_literal(lx, (char)*tok, lex_pos(lx, (const char *)tok));
                          YYCURSOR = (Ptr)lx->cur; continue; }
            "//" [^\n]* { continue; }
            "/" "*"     { lx->cur = (const char *)YYCURSOR;
                          lex_block_comment(lx, lex_pos(lx, (const char *)tok));
                          YYCURSOR = (Ptr)lx->cur; continue; }
            "\n" [ \t\v\f\r]* "#" {
                          lex_newline(lx, (const char *)tok);
                          lx->cur = (const char *)YYCURSOR;
                          LexPp kind = lex_directive(lx);
                          if (kind == PP_IF0 || kind == PP_ELSE) lex_skip_group(lx, kind == PP_IF0);
                          YYCURSOR = (Ptr)lx->cur; continue; }
            "\n"        { lex_newline(lx, (const char *)YYCURSOR - 1); continue; }
            $           { diag_error(lx->dc, open, "unterminated %s: missing '%c'", what,
                                     args ? ')' : '}');
                          lx->cur = lx->end; lx->ran_off_end = true; return lx->end; }
            *           { continue; }
        */
    }
}

/* Scans a verbatim block up to its "%}". */
static const char *lex_verbatim(Lexer *lx, SrcPos open) {
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    for (;;) {
        Ptr tok = YYCURSOR;
        /*!re2c
            "%}"  { lx->cur = (const char *)YYCURSOR; return (const char *)tok; }
            "\n"  { lex_newline(lx, (const char *)YYCURSOR - 1); continue; }
            $     { diag_error(lx->dc, open, "unterminated verbatim block: missing '%%}'");
                    lx->cur = lx->end; lx->ran_off_end = true; return lx->end; }
            *     { continue; }
        */
    }
}

/* Integers: decimal or 0x hex, optionally negative (attribute values are
** range-checked later, so "-1" must reach the checker as a number). */
static Token lex_integer(Lexer *lx, Token t) {
    const char *p = t.text, *e = t.text + t.len;
    bool neg = *p == '-';
    p += neg;
    int base = 10;
    if (e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { base = 16; p += 2; }
    uint64_t v = 0;
    bool big = false;
    for (; p < e; p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0'
              : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
              : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : 99;
        if (d >= base) {
            diag_error(lx->dc, t.pos, "invalid integer constant '%.*s'", (int)t.len, t.text);
            t.ival = LEX_BAD_INT;
            return t;
        }
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) big = true;  /* would wrap */
        else v = v * (uint64_t)base + (uint64_t)d;
    }
    if (big || v > (uint64_t)INT64_MAX) {
        diag_error(lx->dc, t.pos, "integer constant '%.*s' is too large", (int)t.len, t.text);
        t.ival = LEX_BAD_INT;
        return t;
    }
    t.ival = neg ? -(int64_t)v : (int64_t)v;
    return t;
}

static int lex_keyword(const char *s, size_t n) {
    static const struct { const char *w; int kind; } kw[] = {
        {"graph", TK_GRAPH}, {"node", TK_NODE}, {"state", TK_STATE},
        {"start", TK_START}, {"true", TK_TRUE}, {"false", TK_FALSE},
        {"on_close", TK_ON_CLOSE},
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i].w) == n && memcmp(kw[i].w, s, n) == 0) return kw[i].kind;
    return TK_ID;
}

static bool lex_is_name(int kind) {
    return kind == TK_ID || kind == TK_KWID || kind == TK_GRAPH || kind == TK_NODE || kind == TK_STATE
        || kind == TK_START || kind == TK_TRUE || kind == TK_FALSE || kind == TK_ON_CLOSE;
}

/* Reports a run of bytes that cannot start a token, once per run: a line
** of garbage is one mistake, not a thousand. */
static void lex_stray(Lexer *lx, const char *p, size_t n) {
    SrcPos pos = lex_pos(lx, p);
    unsigned char c = (unsigned char)*p;
    bool high = true;
    for (size_t i = 0; i < n; i++) high &= (unsigned char)p[i] >= 0x80;
    if (n > 1 && !high && c != 0 && c > 0x20 && c < 0x7F)
        diag_error(lx->dc, pos, "%zu stray bytes in input, starting with '%c'", n, c);
    else if (n > 1 && !high && c != 0)
        diag_error(lx->dc, pos, "%zu stray bytes in input, starting with byte 0x%02X", n, c);
    else if (c == 0)
        diag_error(lx->dc, pos, "NUL byte in input");
    else if (c >= 0x80)
        diag_error(lx->dc, pos, "stray byte 0x%02X in input%s", c,
                   n > 1 ? " (non-ASCII text outside C code)" : "");
    else if (c < 0x20 || c == 0x7F)
        diag_error(lx->dc, pos, "stray control byte 0x%02X in input", c);
    else if (c == '}')
        diag_error(lx->dc, pos, "unmatched '}'");
    else
        diag_error(lx->dc, pos, "stray '%c' in input", c);
}

/* A token that swallowed C text: pos is its opening bracket, text the inside. */
/* C text is copied into the generated files as a C string, so a NUL byte in it
** would silently cut the code short: report each run of them where it is. */
static void lex_c_text_nul(Lexer *lx, SrcPos pos, const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') { pos.line++; pos.col = 1; continue; }
        if (text[i] == '\0' && (i == 0 || text[i - 1] != '\0'))
            diag_error(lx->dc, pos, "NUL byte in C code");
        pos.col++;
    }
}

static Token lex_c_text(Lexer *lx, int kind, SrcPos pos, const char *open, size_t open_len,
                        const char *end) {
    Token t = { kind, pos, open + open_len, 0, 0 };
    t.len = (size_t)(end - t.text);
    if (memchr(t.text, '\0', t.len)) {
        SrcPos at = pos;
        at.col += (uint32_t)open_len;
        lex_c_text_nul(lx, at, t.text, t.len);
    }
    return t;
}

static Token lex_scan(Lexer *lx) {
    Ptr YYCURSOR = (Ptr)lx->cur, YYLIMIT = (Ptr)lx->end, YYMARKER;
    (void)YYMARKER;
    for (;;) {
        Ptr tok = YYCURSOR;
        const char *s = (const char *)tok;
        SrcPos pos = lex_pos(lx, s);
        Token t = { 0, pos, s, 0, 0 };
#define LEX_TOKEN(k) do { lx->cur = (const char *)YYCURSOR; t.kind = (k); \
                          t.len = (size_t)(YYCURSOR - tok); return t; } while (0)
        /*!re2c
            [ \t\r\v\f]+    { continue; }
            "\n"            { lex_newline(lx, s); continue; }
            "//" [^\n]*     { continue; }
            "/" "*"         { lx->cur = (const char *)YYCURSOR;
                              lex_block_comment(lx, pos);
                              YYCURSOR = (Ptr)lx->cur; continue; }
            [a-zA-Z_][a-zA-Z_0-9]* {
                              LEX_TOKEN(lex_keyword(s, (size_t)(YYCURSOR - tok))); }
            "-"? [0-9][a-zA-Z_0-9]* {
                              lx->cur = (const char *)YYCURSOR;
                              t.kind = TK_INT; t.len = (size_t)(YYCURSOR - tok);
                              return lex_integer(lx, t); }
            "->"            { LEX_TOKEN(TK_ARROW); }
            ")"             { LEX_TOKEN(TK_RPAREN); }
            "["             { LEX_TOKEN(TK_LBRACKET); }
            "]"             { LEX_TOKEN(TK_RBRACKET); }
            ","             { LEX_TOKEN(TK_COMMA); }
            ";"             { LEX_TOKEN(TK_SEMI); }
            "="             { LEX_TOKEN(TK_EQ); }
            "*"             { LEX_TOKEN(TK_STAR); }
            "("             {
                if (!(lx->prev[1] == TK_START && lex_is_name(lx->prev[0])))
                    LEX_TOKEN(TK_LPAREN);
                lx->cur = (const char *)YYCURSOR;
                const char *end = lex_balanced(lx, '(', pos, "argument list");
                return lex_c_text(lx, TK_CARGS, pos, s, 1, end);
            }
            "{"             {
                lx->cur = (const char *)YYCURSOR;
                const char *end = lex_balanced(lx, '{', pos, "C block");
                return lex_c_text(lx, TK_BODY, pos, s, 1, end);
            }
            "%{" | "%header{" | "%usage{" {
                lx->cur = (const char *)YYCURSOR;
                const char *end = lex_verbatim(lx, pos);
                return lex_c_text(lx, tok[1] == 'h' ? TK_HVERBATIM : tok[1] == 'u'
                                  ? TK_UVERBATIM : TK_VERBATIM,
                                  pos, s, (size_t)(YYCURSOR - tok), end);
            }
            [\x80-\xff]+    { lex_stray(lx, s, (size_t)(YYCURSOR - tok)); continue; }
            [\x00]+         { lex_stray(lx, s, (size_t)(YYCURSOR - tok)); continue; }
            [^a-zA-Z_0-9 \t\r\v\f\n(){}[\];,=*%/\x2d]{2,} {
                              lex_stray(lx, s, (size_t)(YYCURSOR - tok)); continue; }
            *               { lex_stray(lx, s, 1); continue; }
            $               { lx->cur = lx->end; t.kind = TK_EOF; t.pos = lx->last_end;
                              t.text = lx->end; return t; }
        */
#undef LEX_TOKEN
    }
}

/* Length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when invalid. */
static size_t lex_utf8_len(const unsigned char *p, const unsigned char *end) {
    size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2
             : p[0] >= 0xE0 && p[0] < 0xF0 ? 3 : p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

bool lex_is_text(const Source *src, DiagCtx *dc) {
    SrcPos none = { 0, 0 };
    if (src->len > LEX_MAX_BYTES) {             /* lines and columns are 32-bit */
        diag_error(dc, none, "file is too large (%zu bytes; the limit is %lu)", src->len,
                   (unsigned long)LEX_MAX_BYTES);
        return false;
    }
    const unsigned char *p = (const unsigned char *)src->text;
    const unsigned char *end = p + (src->len < LEX_TEXT_SAMPLE ? src->len : LEX_TEXT_SAMPLE);
    size_t odd = 0, total = (size_t)(end - p);
    while (p < end) {
        size_t n = lex_utf8_len(p, end);
        bool ctl = *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\v' && *p != '\f';
        if (n == 0 || ctl) odd++;
        p += n ? n : 1;
    }
    if (odd * 8 <= total) return true;              /* a few odd bytes: the lexer says where */
    diag_error(dc, none, "file is not text (%zu of its first %zu bytes are NUL, control "
               "bytes or invalid UTF-8): agdfc reads .agdf source files", odd, total);
    return false;
}

void lex_init(Lexer *lx, const Source *src, DiagCtx *dc) {
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->dc = dc;
    lx->cur = src->text;
    lx->end = src->text + src->len;
    lx->line_start = src->text;
    lx->line = 1;
    lx->last_end.line = 1;
    lx->last_end.col = 1;
}

Token lex_next(Lexer *lx) {
    if (lx->dc->stopped) {                      /* past the error limit */
        Token eof = { TK_EOF, lx->last_end, lx->end, 0, 0 };
        lx->cur = lx->end;
        return eof;
    }
    Token t = lex_scan(lx);
    if (t.kind != TK_EOF) {
        lx->last_end = lex_pos(lx, lx->cur);
        lx->prev[1] = lx->prev[0];
        lx->prev[0] = t.kind;
    }
    return t;
}

const char *lex_token_name(int kind) {
    switch (kind) {
    case TK_EOF: return "end of file";
    case TK_GRAPH: return "'graph'";
    case TK_NODE: return "'node'";
    case TK_STATE: return "'state'";
    case TK_START: return "'start'";
    case TK_ON_CLOSE: return "'on_close'";
    case TK_TRUE: return "'true'";
    case TK_FALSE: return "'false'";
    case TK_ID: return "identifier";
    case TK_KWID: return "identifier";
    case TK_INT: return "integer";
    case TK_ARROW: return "'->'";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_LBRACKET: return "'['";
    case TK_RBRACKET: return "']'";
    case TK_COMMA: return "','";
    case TK_SEMI: return "';'";
    case TK_EQ: return "'='";
    case TK_STAR: return "'*'";
    case TK_BODY: return "'{'";
    case TK_VERBATIM: return "'%{'";
    case TK_HVERBATIM: return "'%header{'";
    case TK_UVERBATIM: return "'%usage{'";
    case TK_CARGS: return "'('";
    }
    return "token";
}
