/*
** emit_c.c — the C back end (work in progress: replaced by the lead).
*/
#include "agdfc.h"

void emit_c(const Graph *g, const EmitOpts *o, FILE *out) { (void)g; (void)o; (void)out; }
void emit_h(const Graph *g, const EmitOpts *o, FILE *out) { (void)g; (void)o; (void)out; }
