/*
** emit_mt.c — the worker threads' part of the C back end: what NAME.h and
** NAME.c hold for the graph attribute threads = T > 1 (docs/language.md §3,
** runtime/agdf.h "threads"), and the --main program's --threads=N and
** --placement.  The graph struct gets one member, agdf_threads, with every
** byte the threads use: the coordinator, a scheduler, node records and node
** table per thread, timer, fd and offload slots per extra thread, the rings
** of the cut edges with their items, the spread nodes' replica queues, and
** the placement.  NAME.c gets the constant tables agdf_mt_init reads: where
** each node runs (agdf_node_place, from the attributes thread, weight and
** spread), the storage of each ring and replica queue as an offset into the
** graph struct, and the agdf_mt_def.  The rings follow agdf.h's numbering
** exactly: for each edge (nodes in declaration order, then each node's
** destination order, which is its agdf_node_def.dst order) one ring per
** producer thread of its source (T for a spread source, else 1), then T - 1
** balancing rings per spread node.  With threads = 1 nothing of this is
** emitted but the --main helpers, which then accept one thread only.  Each
** part is plain text without user C text, written to the FILE emit_c.c
** hands over (it counts the lines for its #line directives); the output
** depends only on the Graph.
*/
#include <stdlib.h>
#include <string.h>

#include "agdfc.h"

/* One ring of the numbering: the node whose items it carries (the edge's
** destination, or the spread node for a balancing ring) and what it is. */
typedef struct MtRing {
    int src;                 /* producing node: the edge's source or the spread node */
    int dst;                 /* node whose items and queue_size it has */
    int rank;                /* producer rank (spread source) or balancing rank; 0: home */
    bool balance;            /* a balancing ring: home -> rank */
} MtRing;

/* The rings in agdf.h's order; *n gets their number (free the array). */
static MtRing *emit_mt_rings(const Graph *g, int *n) {
    int t = (int)g->threads, count = 0, k = 0;
    for (int u = 0; u < GRAPH_NNODES(g); u++) {
        const Node *nd = GRAPH_NODE(g, u);
        count += nd->nsucc * (nd->spread ? t : 1) + (nd->spread ? t - 1 : 0);
    }
    MtRing *r = util_xmalloc(sizeof *r * (size_t)(count + 1));
    for (int u = 0; u < GRAPH_NNODES(g); u++) {
        const Node *nd = GRAPH_NODE(g, u);
        for (int e = 0; e < nd->nsucc; e++)
            for (int rank = 0; rank < (nd->spread ? t : 1); rank++)
                r[k++] = (MtRing){ u, nd->succ[e], rank, false };
    }
    for (int u = 0; u < GRAPH_NNODES(g); u++)
        if (GRAPH_NODE(g, u)->spread)
            for (int rank = 1; rank < t; rank++)
                r[k++] = (MtRing){ u, u, rank, true };
    *n = count;
    return r;
}

static int emit_mt_nedges(const Graph *g) {
    int e = 0;
    for (int u = 0; u < GRAPH_NNODES(g); u++) e += GRAPH_NODE(g, u)->nsucc;
    return e;
}

static int emit_mt_nspread(const Graph *g) {
    int s = 0;
    for (int u = 0; u < GRAPH_NNODES(g); u++) s += GRAPH_NODE(g, u)->spread;
    return s;
}

/* "a -> b", "a -> b, producer rank 1" or "balancing b, home -> rank 1". */
static void emit_mt_ring_text(const Graph *g, const MtRing *r, FILE *out) {
    const char *s = GRAPH_NODE(g, r->src)->name, *d = GRAPH_NODE(g, r->dst)->name;
    if (r->balance) fprintf(out, "balancing %s, home -> rank %d", s, r->rank);
    else if (GRAPH_NODE(g, r->src)->spread)
        fprintf(out, "%s -> %s, producer rank %d", s, d, r->rank);
    else fprintf(out, "%s -> %s", s, d);
}

/* Whether any ring, or any replica queue, has items of a size above 0: the
** graph struct has agdf_threads.ring, agdf_threads.replica. */
static void emit_mt_has_items(const Graph *g, const int *in_item, bool *ring, bool *replica) {
    int nr;
    MtRing *r = emit_mt_rings(g, &nr);
    *ring = *replica = false;
    for (int i = 0; i < nr; i++) *ring |= in_item[r[i].dst] >= 0;
    for (int u = 0; u < GRAPH_NNODES(g); u++)
        *replica |= GRAPH_NODE(g, u)->spread && in_item[u] >= 0;
    free(r);
}

/* ---------------------------------------------------------------- NAME.h */

static void emit_mt_struct(const Graph *g, const int *in_item, FILE *out) {
    const char *G = g->name;
    int nr, nspread = emit_mt_nspread(g);
    MtRing *r = emit_mt_rings(g, &nr);
    bool any_items, any_replica;
    emit_mt_has_items(g, in_item, &any_items, &any_replica);
    fprintf(out, "    struct {                                  /* threads = %lld: the worker "
            "threads' storage (agdf.h, \"threads\") */\n", (long long)g->threads);
    fputs("        agdf_mt mt;                           /* the coordinator */\n", out);
    fprintf(out, "        agdf_part parts[%s_THREADS];          /* each thread's scheduler "
            "(thread 0: agdf) */\n", G);
    fprintf(out, "        agdf_node nodes[(%s_THREADS - 1) * %s_NNODES]; /* threads 1..: node "
            "records */\n", G, G);
    fprintf(out, "        agdf_node_def defs[%s_THREADS * %s_NNODES]; /* each thread's node "
            "table */\n", G, G);
    fprintf(out, "        agdf_task *timers[(%s_THREADS - 1) * AGDF_TIMER_SLOTS(%s_NTASKS)];\n"
            "        agdf_fdslot fds[(%s_THREADS - 1) * AGDF_FD_SLOTS(%s_NTASKS)];\n", G, G, G, G);
    if (g->offload_threads > 0)
        fprintf(out, "        agdf_offload_slot workers[(%s_THREADS - 1) * %s_OFFLOAD_THREADS]; "
                "/* offload pools */\n", G, G);
    if (nr > 0)
        fprintf(out, "        struct agdf_ring rings[%d];            /* the %d edges' rings, then "
                "balancing rings (agdf.h) */\n", nr, emit_mt_nedges(g));
    fprintf(out, "        uint32_t task_thread[%s_NTASKS];      /* the placement: thread of each "
            "task */\n", G);
    fprintf(out, "        uint32_t scratch[AGDF_PLACE_SCRATCH(%s_NNODES)]; /* agdf_place's */\n",
            G);
    if (any_items) {
        fputs("        struct {\n", out);
        for (int i = 0; i < nr; i++) {
            if (in_item[r[i].dst] < 0) continue;
            fprintf(out, "            %s__item%d r%d[%lld] AGDF__LINE_ALIGNED; /* ring %d: ", G,
                    in_item[r[i].dst], i,
                    (long long)GRAPH_NODE(g, r[i].dst)->queue_size, i);
            emit_mt_ring_text(g, &r[i], out);
            fputs(" */\n", out);
        }
        fputs("        } ring;                               /* ring items (none for items "
              "of size 0) */\n", out);
    }
    if (nspread > 0 && any_replica) {
        fputs("        struct {\n", out);
        int q = 0;
        for (int u = 0; u < GRAPH_NNODES(g); u++) {
            const Node *nd = GRAPH_NODE(g, u);
            if (!nd->spread) continue;
            for (int rank = 1; rank < g->threads; rank++, q++)
                if (in_item[u] >= 0)
                    fprintf(out, "            %s__item%d q%d[%lld] AGDF__LINE_ALIGNED; /* %s, "
                            "rank %d */\n", G,
                            in_item[u], q, (long long)nd->queue_size, nd->name, rank);
        }
        fputs("        } replica;                            /* spread nodes' queues on "
              "ranks 1.. */\n", out);
    }
    fputs("    } agdf_threads;\n", out);
    free(r);
}

/* ---------------------------------------------------------------- NAME.c */

static void emit_mt_tables(const Graph *g, const int *in_item, FILE *out) {
    const char *G = g->name;
    int nr, nspread = emit_mt_nspread(g);
    MtRing *r = emit_mt_rings(g, &nr);
    fprintf(out, "/* Threads (threads = %lld): where each node runs, the storage of each ring "
            "and\n** replica queue as an offset into the graph struct (0: items of size 0). */\n",
            (long long)g->threads);
    fprintf(out, "static const agdf_node_place %s__place[%s_NNODES] = {\n", G, G);
    for (int u = 0; u < GRAPH_NNODES(g); u++) {
        const Node *nd = GRAPH_NODE(g, u);
        fprintf(out, "    [%s_NODE_%s] = { .thread = %lld, .weight = %lld, .spread = %d },\n", G,
                nd->name, (long long)nd->thread, (long long)nd->weight, nd->spread ? 1 : 0);
    }
    fputs("};\n", out);
    if (nr > 0) {
        fprintf(out, "static const size_t %s__ring_off[%d] = {\n", G, nr);
        for (int i = 0; i < nr; i++) {
            if (in_item[r[i].dst] >= 0)
                fprintf(out, "    offsetof(%s, agdf_threads.ring.r%d), /* %d: ", G, i, i);
            else
                fprintf(out, "    0, /* %d: ", i);
            emit_mt_ring_text(g, &r[i], out);
            fputs(" */\n", out);
        }
        fputs("};\n", out);
    }
    if (nspread > 0) {
        fprintf(out, "static const size_t %s__queue_off[%lld] = {\n", G,
                (long long)nspread * (g->threads - 1));
        int q = 0;
        for (int u = 0; u < GRAPH_NNODES(g); u++) {
            const Node *nd = GRAPH_NODE(g, u);
            if (!nd->spread) continue;
            for (int rank = 1; rank < g->threads; rank++, q++) {
                if (in_item[u] >= 0)
                    fprintf(out, "    offsetof(%s, agdf_threads.replica.q%d),", G, q);
                else
                    fputs("    0,", out);
                fprintf(out, " /* %s, rank %d */\n", nd->name, rank);
            }
        }
        fputs("};\n", out);
    }
    fprintf(out, "static const agdf_mt_def %s__mt = {\n"
            "    .threads = %s_THREADS, .threads_max = %s_THREADS, .place = %s__place,\n"
            "    .nedges = %d, .nrings = %d\n};\n\n", G, G, G, G, emit_mt_nedges(g), nr);
    free(r);
}

/* NAME_init's last statement: the threads' storage handed to the runtime. */
static void emit_mt_init(const Graph *g, FILE *out) {
    const char *G = g->name;
    int nr;
    free(emit_mt_rings(g, &nr));
    fputs("    {\n        agdf_mt_mem mm = { .mt = &g->agdf_threads.mt, "
          ".parts = g->agdf_threads.parts,\n"
          "            .nodes = g->agdf_threads.nodes, .defs = g->agdf_threads.defs,\n"
          "            .timers = g->agdf_threads.timers, .fds = g->agdf_threads.fds,\n", out);
    fprintf(out, "            .workers = %s, .rings = %s,\n",
            g->offload_threads > 0 ? "g->agdf_threads.workers" : "NULL",
            nr > 0 ? "g->agdf_threads.rings" : "NULL");
    fprintf(out, "            .ring_off = %s%s, .queue_off = %s%s,\n",
            nr > 0 ? G : "NULL", nr > 0 ? "__ring_off" : "",
            emit_mt_nspread(g) > 0 ? G : "NULL", emit_mt_nspread(g) > 0 ? "__queue_off" : "");
    fprintf(out, "            .task_thread = g->agdf_threads.task_thread, "
            ".scratch = g->agdf_threads.scratch, .base = g };\n"
            "        agdf_mt_init(&g->agdf, &%s__mt, &mm);\n    }\n", G);
}

/* ---------------------------------------------------------------- --main */

/* agdf_main_bad_threads (a --threads value out of range), agdf_main_threads
** (applies it; -1 after saying why the runtime refused it) and
** agdf_main_placement (--placement's lines). */
static void emit_mt_main(const Graph *g, FILE *out) {
    const char *G = g->name;
    fputs("static void agdf_main_bad_threads(const char *argv0, const char *v)\n{\n", out);
    if (g->threads <= 1)
        fputs("    fprintf(stderr, \"%s: bad --threads: %s (this graph was compiled for 1 "
              "thread; to allow up to N,\\n\"\n"
              "            \"compile it with the graph attribute threads = N)\\n\", "
              "argv0, v);\n}\n\n", out);
    else
        fprintf(out, "    fprintf(stderr, \"%%s: bad --threads: %%s (expected an integer from 1 "
                "to %lld)\\n\", argv0, v);\n}\n\n", (long long)g->threads);
    fprintf(out, "/* --threads=N (0: not given): 0, or -1 once told why the runtime refused "
            "it. */\nstatic int agdf_main_threads(%s *g, const char *argv0, unsigned long n)\n{\n",
            G);
    if (g->threads <= 1) {
        fputs("    (void)g; (void)argv0; (void)n;   /* 1 at most: checked */\n    return 0;\n}\n\n",
              out);
        fprintf(out, "/* --placement: on one thread, every node runs on thread 0. */\n"
                "static void agdf_main_placement(%s *g)\n{\n    uint32_t i;\n    (void)g;\n"
                "    for (i = 0; i < %s_NNODES; i++)\n"
                "        printf(\"%%s: thread 0\\n\", %s__nodes[i].name);\n}\n\n", G, G, G);
        return;
    }
    fprintf(out, "    uint32_t i;\n"
            "    if (n == 0 || agdf_set_threads(&g->agdf, (uint32_t)n) == 0)\n        return 0;\n"
            "    for (i = 0; i < %s_NNODES; i++)\n"
            "        if (%s__place[i].thread >= 0 && (unsigned long)%s__place[i].thread >= n) {\n"
            "            fprintf(stderr, \"%%s: bad --threads: %%lu (node %%s is placed on \"\n"
            "                    \"thread %%ld, which needs at least %%ld threads)\\n\", argv0, n,\n"
            "                    %s__nodes[i].name,\n"
            "                    (long)%s__place[i].thread, (long)%s__place[i].thread + 1);\n"
            "            return -1;\n        }\n"
            "    fprintf(stderr, \"%%s: bad --threads: %%lu (the runtime refused it)\\n\", argv0, "
            "n);\n    return -1;\n}\n\n", G, G, G, G, G, G);
    fprintf(out,
        "/* --placement: the thread of each node, or of each task of a spread node as\n"
        "** runs of consecutive tasks: \"x: threads 0-1 (spread, tasks 0-1 on 0, tasks 2-3 "
        "on 1)\". */\n"
        "static void agdf_main_placement(%s *g)\n{\n"
        "    uint32_t i, a, b, t;\n"
        "    for (i = 0; i < %s_NNODES; i++) {\n"
        "        uint64_t used = 0;\n"
        "        uint32_t ntasks = %s__nodes[i].ntasks;\n"
        "        int first = 1;\n"
        "        if (!%s__place[i].spread) {\n"
        "            printf(\"%%s: thread %%d\\n\", %s__nodes[i].name, "
        "agdf_thread_of(&g->agdf, i, 0));\n"
        "            continue;\n        }\n"
        "        for (a = 0; a < ntasks; a++) {\n"
        "            int k = agdf_thread_of(&g->agdf, i, a);\n"
        "            if (k >= 0 && k < 64)\n"
        "                used |= (uint64_t)1 << k;\n"
        "        }\n"
        "        printf(\"%%s: thread%%s \", %s__nodes[i].name, (used & (used - 1)) ? \"s\" : "
        "\"\");\n"
        "        for (t = 0; t < 64; t = b) {   /* the threads used, as ranges */\n"
        "            for (; t < 64 && !(used >> t & 1); t++)\n                ;\n"
        "            for (b = t; b < 64 && (used >> b & 1); b++)\n                ;\n"
        "            if (t == 64)\n                break;\n"
        "            printf(\"%%s%%u\", first ? \"\" : \",\", (unsigned)t);\n"
        "            if (b - 1 > t)\n"
        "                printf(\"-%%u\", (unsigned)(b - 1));\n"
        "            first = 0;\n        }\n"
        "        printf(\" (spread\");\n"
        "        for (a = 0; a < ntasks; a = b) {   /* runs of tasks on one thread */\n"
        "            int k = agdf_thread_of(&g->agdf, i, a);\n"
        "            for (b = a + 1; b < ntasks && agdf_thread_of(&g->agdf, i, b) == k; b++)\n"
        "                ;\n"
        "            if (b - 1 > a)\n"
        "                printf(\", tasks %%u-%%u on %%d\", (unsigned)a, (unsigned)(b - 1), k);\n"
        "            else\n"
        "                printf(\", task %%u on %%d\", (unsigned)a, k);\n"
        "        }\n"
        "        printf(\")\\n\");\n    }\n}\n\n", G, G, G, G, G, G);
}

/* --memory's lines on the threads' storage (threads > 1): the whole member,
** what each extra thread takes, the rings, the replica queues. */
static void emit_mt_memory(const Graph *g, const int *in_item, FILE *out) {
    const char *G = g->name, *m = "agdf_main_graph.agdf_threads";
    bool ring, replica;
    int nr;
    free(emit_mt_rings(g, &nr));
    emit_mt_has_items(g, in_item, &ring, &replica);
    fprintf(out, "    printf(\"  threads: %%lu bytes (storage for %%d threads)\\n\",\n"
            "           (unsigned long)sizeof %s, %s_THREADS);\n", m, G);
    fprintf(out, "    printf(\"    per extra thread: %%lu bytes (scheduler, node records and "
            "table, timer,\\n\"\n"
            "           \"      fd and offload slots)\\n\",\n"
            "           (unsigned long)(sizeof(agdf_part) + sizeof %s.defs / %s_THREADS\n"
            "               + (sizeof %s.nodes + sizeof %s.timers + sizeof %s.fds%s%s%s)\n"
            "               / (%s_THREADS - 1)));\n", m, G, m, m, m,
            g->offload_threads > 0 ? " + sizeof " : "", g->offload_threads > 0 ? m : "",
            g->offload_threads > 0 ? ".workers" : "", G);
    if (nr > 0)
        fprintf(out, "    printf(\"    rings: %%lu bytes (%%d rings of %%lu bytes, items %%lu)\\n\",\n"
                "           (unsigned long)(sizeof %s.rings + %s%s), %d,\n"
                "           (unsigned long)sizeof(struct agdf_ring), (unsigned long)%s%s);\n",
                m, ring ? "sizeof " : "0", ring ? "agdf_main_graph.agdf_threads.ring" : "", nr,
                ring ? "sizeof " : "0", ring ? "agdf_main_graph.agdf_threads.ring" : "");
    if (replica)
        fprintf(out, "    printf(\"    replica queues: %%lu bytes (spread nodes)\\n\",\n"
                "           (unsigned long)sizeof %s.replica);\n", m);
}

void emit_mt(const Graph *g, const int *in_item, EmitMtPart part, FILE *out) {
    if (part == EMIT_MT_MAIN) {
        emit_mt_main(g, out);
        return;
    }
    if (g->threads <= 1) return;
    switch (part) {
    case EMIT_MT_STRUCT: emit_mt_struct(g, in_item, out); break;
    case EMIT_MT_TABLES: emit_mt_tables(g, in_item, out); break;
    case EMIT_MT_INIT: emit_mt_init(g, out); break;
    case EMIT_MT_MEMORY: emit_mt_memory(g, in_item, out); break;
    default: break;
    }
}
