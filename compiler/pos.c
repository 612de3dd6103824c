/*
** pos.c — positions in the source (SrcPos: 1-based line and byte column):
** moving one over a piece of text, the end of a file, and the order of two
** positions.  A leaf module: the parser, the checks and the diagnostics all
** compute positions, and none of them has to call another for it.
*/
#include "agdfc.h"

SrcPos pos_at(SrcPos start, const char *text, size_t off) {
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') { start.line++; start.col = 1; }
        else start.col++;
    }
    return start;
}

/* The position just after the last byte of the file (1:1 when empty). */
SrcPos pos_end(const Source *src) {
    SrcPos p = { 1, 1 };
    if (src) p = pos_at(p, src->text, src->len);
    return p;
}

int pos_cmp(SrcPos a, SrcPos b) {
    if (a.line != b.line) return a.line < b.line ? -1 : 1;
    if (a.col != b.col) return a.col < b.col ? -1 : 1;
    return 0;
}
