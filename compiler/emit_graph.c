/*
** emit_graph.c — writes a checked Graph as a picture (Graphviz DOT, Mermaid
** flowchart: nodes with their attributes, edges with their item types) or as
** JSON for other tools.  All three are deterministic: nodes in declaration
** order, edges in declaration order (a repeated edge once), numbers in
** decimal, no timestamps, so the output can be diffed and kept as a golden
** file.  The JSON carries the whole checked graph: names, types,
** attributes with their defaults filled in, bodies, source positions, start
** items, default start nodes and a topological order.
*/
#include <string.h>

#include "agdfc.h"

/* A node's halt_on_exception, the graph's when the node does not set it. */
static bool emit_node_halts(const Graph *g, const Node *n) {
    return n->halt_on_exception >= 0 ? n->halt_on_exception : g->halt_on_exception;
}

/* ---------------------------------------------------------------- JSON */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static int emit_utf8_len(const unsigned char *s, size_t n) {
    int len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (s[0] >= 0xF5 || len == 0 || (size_t)len > n) return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (len == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;      /* overlong */
    if (len == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0;     /* surrogate */
    if (len == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;
    if (len == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0;
    return len;
}

/* A JSON string: the escapes JSON requires, control bytes as \u00XX, valid
** UTF-8 as is, any invalid byte as U+FFFD (JSON text must be UTF-8). */
static void emit_json_str(FILE *out, const char *s) {
    if (!s) { fputs("null", out); return; }
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        switch (c) {
        case '"': fputs("\\\"", out); continue;
        case '\\': fputs("\\\\", out); continue;
        case '\n': fputs("\\n", out); continue;
        case '\t': fputs("\\t", out); continue;
        case '\r': fputs("\\r", out); continue;
        case '\b': fputs("\\b", out); continue;
        case '\f': fputs("\\f", out); continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) { fprintf(out, "\\u%04x", c); continue; }
        if (c < 0x80) { fputc(c, out); continue; }
        int len = emit_utf8_len(p + i, n - i);
        if (len == 0) { fputs("\\ufffd", out); continue; }
        fwrite(p + i, 1, (size_t)len, out);
        i += (size_t)len - 1;
    }
    fputc('"', out);
}

static void emit_json_pos(FILE *out, const char *prefix, SrcPos p) {
    fprintf(out, "\"%sline\": %u, \"%scol\": %u", prefix, (unsigned)p.line, prefix,
            (unsigned)p.col);
}

static void emit_json_params(FILE *out, const Node *n) {
    fputs("\"params\": [", out);
    for (int i = 0; i < n->nparams; i++) {
        const Param *p = &n->params[i];
        fputs(i ? ", {\"type\": " : "{\"type\": ", out);
        emit_json_str(out, p->type.text);
        fputs(", \"name\": ", out);
        emit_json_str(out, p->name);
        fputs(", ", out);
        emit_json_pos(out, "", p->pos);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void emit_json_node(FILE *out, const Graph *g, const Node *n) {
    fputs("    {\"name\": ", out);
    emit_json_str(out, n->name);
    fprintf(out, ", \"id\": %d, ", n->id);
    emit_json_pos(out, "", n->pos);
    fputs(",\n     ", out);
    emit_json_params(out, n);
    fputs("     \"outputs\": [", out);
    for (int i = 0; i < n->nouts; i++) {
        if (i) fputs(", ", out);
        emit_json_str(out, n->outs[i].text);
    }
    fprintf(out, "], \"output_tuple\": %s,\n", n->out_tuple ? "true" : "false");
    bool halt = emit_node_halts(g, n);
    fprintf(out, "     \"max_tasks\": %lld, \"queue_size\": %lld, \"halt_on_exception\": %s,\n",
            (long long)n->max_tasks, (long long)n->queue_size, halt ? "true" : "false");
    fputs("     \"thread\": ", out);
    if (n->thread >= 0) fprintf(out, "%lld", (long long)n->thread);
    else fputs("null", out);
    fprintf(out, ", \"weight\": %lld, \"spread\": %s,\n", (long long)n->weight,
            n->spread ? "true" : "false");
    fputs("     \"attrs_set\": [", out);
    for (int i = 0; i < n->nattrs; i++) {
        if (i) fputs(", ", out);
        emit_json_str(out, n->attrs[i].name);
    }
    fputs("],\n", out);
    fprintf(out, "     \"is_start\": %s, \"reachable\": %s, \"npred\": %d, \"successors\": [",
            n->is_start ? "true" : "false", n->reachable ? "true" : "false", n->npred);
    for (int i = 0; i < n->nsucc; i++) {
        if (i) fputs(", ", out);
        emit_json_str(out, GRAPH_NODE(g, n->succ[i])->name);
    }
    fputs("],\n     \"has_state\": ", out);
    fputs(n->state ? "true" : "false", out);
    fputs(", \"state\": ", out);
    emit_json_str(out, n->state);
    if (n->state) { fputs(", ", out); emit_json_pos(out, "state_", n->state_pos); }
    fputs(",\n     \"has_body\": ", out);
    fputs(n->body ? "true" : "false", out);
    fputs(", \"body\": ", out);
    emit_json_str(out, n->body);
    if (n->body) { fputs(", ", out); emit_json_pos(out, "body_", n->body_pos); }
    fputs("}", out);
}

static void emit_json_edges(FILE *out, const Graph *g) {
    fputs("  \"edges\": [", out);
    for (size_t i = 0; i < g->edges.len; i++) {
        const Edge *e = GRAPH_EDGE(g, i);
        fputs(i ? ",\n    {\"from\": " : "\n    {\"from\": ", out);
        emit_json_str(out, e->from);
        fputs(", \"to\": ", out);
        emit_json_str(out, e->to);
        fputs(", ", out);
        emit_json_pos(out, "", e->from_pos);
        fputs(", ", out);
        emit_json_pos(out, "to_", e->to_pos);
        fprintf(out, ", \"duplicate\": %s}", e->duplicate ? "true" : "false");
    }
    fputs(g->edges.len ? "\n  ],\n" : "],\n", out);
}

static void emit_json_starts(FILE *out, const Graph *g) {
    fputs("  \"starts\": [", out);
    for (size_t i = 0; i < g->starts.len; i++) {
        const StartItem *s = GRAPH_START(g, i);
        fputs(i ? ",\n    {\"node\": " : "\n    {\"node\": ", out);
        emit_json_str(out, s->name);
        fputs(", ", out);
        emit_json_pos(out, "", s->pos);
        fputs(", \"args\": [", out);
        for (int k = 0; k < s->nargs; k++) {
            fputs(k ? ", {\"text\": " : "{\"text\": ", out);
            emit_json_str(out, s->args[k].text);
            fputs(", ", out);
            emit_json_pos(out, "", s->args[k].pos);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs(g->starts.len ? "\n  ],\n" : "],\n", out);
}

static void emit_json_id_list(FILE *out, const Graph *g, const char *key, const int *ids, int n) {
    fprintf(out, "  \"%s\": [", key);
    for (int i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        emit_json_str(out, GRAPH_NODE(g, ids[i])->name);
    }
    fputs("]", out);
}

void emit_json(const Graph *g, const Source *src, FILE *out) {
    fputs("{\n  \"agdfc\": \"" AGDFC_VERSION "\",\n  \"source\": ", out);
    emit_json_str(out, src ? src->path : NULL);
    fputs(",\n  \"graph\": {\"name\": ", out);
    emit_json_str(out, g->name);
    fprintf(out, ", \"declared\": %s", g->declared ? "true" : "false");
    if (g->declared) { fputs(", ", out); emit_json_pos(out, "", g->pos); }
    fprintf(out, ", \"halt_on_exception\": %s, \"max_exceptions\": %lld, \"threads\": %lld},\n",
            g->halt_on_exception ? "true" : "false", (long long)g->max_exceptions,
            (long long)g->threads);
    fputs("  \"verbatims\": [", out);
    for (size_t i = 0; i < g->verbatims.len; i++) {
        const Verbatim *v = &VEC_AT(g->verbatims, Verbatim, i);
        fprintf(out, "%s\n    {\"header\": %s, ", i ? "," : "", v->header ? "true" : "false");
        emit_json_pos(out, "", v->pos);
        fputs(", \"text\": ", out);
        emit_json_str(out, v->text);
        fputc('}', out);
    }
    fputs(g->verbatims.len ? "\n  ],\n" : "],\n", out);
    fputs("  \"nodes\": [", out);
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        fputs(i ? ",\n" : "\n", out);
        emit_json_node(out, g, GRAPH_NODE(g, i));
    }
    fputs(GRAPH_NNODES(g) ? "\n  ],\n" : "],\n", out);
    emit_json_edges(out, g);
    emit_json_starts(out, g);
    emit_json_id_list(out, g, "default_start_nodes", g->start_nodes, g->nstart_nodes);
    fputs(",\n", out);
    emit_json_id_list(out, g, "topological_order", g->topo, g->topo ? GRAPH_NNODES(g) : 0);
    fputs("\n}\n", out);
}

/* ---------------------------------------------------------------- pictures */

/* Both pictures show on each node its max_tasks, queue_size and effective
** halt_on_exception (a halting node is also drawn in red), the start nodes
** in bold, and on each edge the type of the items it carries: the source's
** output types, "(int, double)" for a tuple, "()" for an empty item.  The
** placement attributes a node sets (thread, weight other than 1, spread)
** make one more line, and a graph with threads > 1 says so in its title, so
** a graph that uses none of them is drawn as before. */

/* The placement line of a node, after sep ("\\n" or "<br/>"), or nothing. */
static void emit_place_line(FILE *out, const Node *n, const char *sep) {
    if (n->thread < 0 && n->weight == 1 && !n->spread) return;
    fputs(sep, out);
    const char *space = "";
    if (n->thread >= 0) { fprintf(out, "thread=%lld", (long long)n->thread); space = " "; }
    if (n->weight != 1) { fprintf(out, "%sweight=%lld", space, (long long)n->weight); space = " "; }
    if (n->spread) fprintf(out, "%sspread", space);
}

/* Writes text through esc, which escapes what the picture's syntax needs. */
typedef void (*EscFn)(FILE *out, const char *s);

static void emit_edge_type(FILE *out, const Node *from, EscFn esc) {
    if (from->nouts == 1 && !from->out_tuple) { esc(out, from->outs[0].text); return; }
    fputc('(', out);
    for (int i = 0; i < from->nouts; i++) {
        if (i) fputs(", ", out);
        esc(out, from->outs[i].text);
    }
    fputc(')', out);
}

/* Names are C identifiers and types are identifiers and '*' today, but the
** text is escaped for what a DOT string cannot hold as is, so that no later
** syntax can break the picture: quotes and backslashes, a line break as \n. */
static void emit_dot_str_body(FILE *out, const char *s) {
    for (; *s; s++) {
        if (*s == '\n') { fputs("\\n", out); continue; }
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
}

void emit_dot(const Graph *g, FILE *out) {
    fputs("digraph \"", out);
    emit_dot_str_body(out, g->name);
    fputs("\" {\n    rankdir=LR;\n    node [shape=box, fontname=\"monospace\"];\n"
          "    edge [fontname=\"monospace\", fontsize=10];\n", out);
    if (g->threads > 1)
        fprintf(out, "    label=\"threads=%lld\";\n    labelloc=t;\n", (long long)g->threads);
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *n = GRAPH_NODE(g, i);
        bool halt = emit_node_halts(g, n);
        fputs("    \"", out);
        emit_dot_str_body(out, n->name);
        fputs("\" [label=\"", out);
        emit_dot_str_body(out, n->name);
        fprintf(out, "\\nmax_tasks=%lld queue_size=%lld\\nhalt_on_exception=%s",
                (long long)n->max_tasks, (long long)n->queue_size, halt ? "true" : "false");
        emit_place_line(out, n, "\\n");
        fprintf(out, "\"%s%s];\n", n->is_start ? ", style=bold" : "", halt ? ", color=red" : "");
    }
    for (size_t i = 0; i < g->edges.len; i++) {
        const Edge *e = GRAPH_EDGE(g, i);
        if (e->duplicate) continue;
        fputs("    \"", out);
        emit_dot_str_body(out, e->from);
        fputs("\" -> \"", out);
        emit_dot_str_body(out, e->to);
        fputs("\" [label=\"", out);
        emit_edge_type(out, GRAPH_NODE(g, e->from_id), emit_dot_str_body);
        fputs("\"];\n", out);
    }
    fputs("}\n", out);
}

/* ---------------------------------------------------------------- Mermaid */

/* A Mermaid "quoted label" ends at the first quote, is read as HTML, and
** takes '#' as the start of an entity: the quote, the angle brackets, the
** ampersand and '#' are written as entities (#quot; #lt; #gt; #amp; #35;),
** a line break as <br/>. */
static void emit_mermaid_str(FILE *out, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '"': fputs("#quot;", out); break;
        case '<': fputs("#lt;", out); break;
        case '>': fputs("#gt;", out); break;
        case '&': fputs("#amp;", out); break;
        case '#': fputs("#35;", out); break;
        case '\n': fputs("<br/>", out); break;
        default: fputc(*s, out); break;
        }
    }
}

/* Node ids get a prefix: Mermaid reserves some words ("end", "graph"). */
void emit_mermaid(const Graph *g, FILE *out) {
    if (g->threads > 1) fprintf(out, "---\ntitle: threads=%lld\n---\n", (long long)g->threads);
    fputs("flowchart LR\n", out);
    bool any_halt = false;
    for (int i = 0; i < GRAPH_NNODES(g); i++) {
        const Node *n = GRAPH_NODE(g, i);
        bool halt = emit_node_halts(g, n);
        any_halt |= halt;
        fprintf(out, "    n_%s[\"", n->name);
        emit_mermaid_str(out, n->name);
        fprintf(out, "<br/>max_tasks=%lld queue_size=%lld<br/>halt_on_exception=%s",
                (long long)n->max_tasks, (long long)n->queue_size, halt ? "true" : "false");
        emit_place_line(out, n, "<br/>");
        fprintf(out, "\"]%s\n", halt ? ":::halt" : "");
    }
    for (size_t i = 0; i < g->edges.len; i++) {
        const Edge *e = GRAPH_EDGE(g, i);
        if (e->duplicate) continue;
        fprintf(out, "    n_%s -->|\"", e->from);
        emit_edge_type(out, GRAPH_NODE(g, e->from_id), emit_mermaid_str);
        fprintf(out, "\"| n_%s\n", e->to);
    }
    if (any_halt) fputs("    classDef halt stroke:#c00,stroke-width:2px\n", out);
}
