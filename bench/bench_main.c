/*
** bench_main.c — the main() of every timed benchmark graph.  It is compiled
** once per graph beside the C that agdfc generated for it, with
** -DBENCH_GRAPH=NAME -DBENCH_HEADER='"NAME.h"', and drives the generated API
** exactly as a user program would: NAME_init, then NAME_run timed with
** CLOCK_MONOTONIC (process start-up and init are outside the timed interval).
** After the run it checks that the sinks saw exactly the expected items (sum)
** and that the runtime counted exactly the expected deliveries (the sum of
** every node's `in`, i.e. items carried over edges), and prints one line of
** key=value fields that bench/run.sh parses: ns per delivery is the figure
** "ns per item per edge".  It also prints the static memory of the graph
** (sizeof the graph struct) and of the runtime's task and node records.
**
**   NAME [N]      N items from each source (default 1000); exit 1 on a wrong
**                 result, 3 when the run did not end with AGDF_OK
*/
#define _POSIX_C_SOURCE 200809L

#include BENCH_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_CAT_(a, b) a##b
#define BENCH_CAT(a, b) BENCH_CAT_(a, b)
#define BENCH_G BENCH_GRAPH
#define BENCH_FN(suffix) BENCH_CAT(BENCH_GRAPH, suffix)
#define BENCH_STR_(x) #x
#define BENCH_STR(x) BENCH_STR_(x)

static BENCH_G bench_graph;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long n = 1000;
    double t0, t1, ns;
    agdf_status st;
    agdf_graph *rt;
    unsigned long long deliveries = 0;
    uint32_t i, nodes;
    long long want_sum, want_deliv;
    int ok;

    if (argc > 1) {
        char *end;
        n = strtol(argv[1], &end, 10);
        if (*end || n < 1) {
            fprintf(stderr, "usage: %s [N >= 1]\n", argv[0]);
            return 2;
        }
    }
    bench_n = n;
    bench_sum = 0;
    BENCH_FN(_init)(&bench_graph);
    t0 = now_s();
    st = BENCH_FN(_run)(&bench_graph);
    t1 = now_s();

    rt = BENCH_FN(_graph)(&bench_graph);
    nodes = agdf_node_count(rt);
    for (i = 0; i < nodes; i++)
        deliveries += agdf_node_stats(rt, i)->in;
    want_sum = bench_expect_sum();
    want_deliv = bench_expect_deliveries();
    ok = bench_sum == want_sum && (long long)deliveries == want_deliv;
    ns = deliveries ? (t1 - t0) * 1e9 / (double)deliveries : 0.0;

    printf("graph=%s n=%ld nodes=%lu deliveries=%llu seconds=%.6f ns=%.4f "
           "graph_bytes=%lu task_bytes=%lu node_bytes=%lu check=%s\n",
           BENCH_STR(BENCH_GRAPH), n, (unsigned long)nodes, deliveries, t1 - t0, ns,
           (unsigned long)sizeof(BENCH_G), (unsigned long)sizeof(agdf_task),
           (unsigned long)sizeof(agdf_node), ok ? "ok" : "WRONG");
    if (!ok) {
        fprintf(stderr, "%s: sum %lld (want %lld), deliveries %llu (want %lld)\n",
                BENCH_STR(BENCH_GRAPH), bench_sum, want_sum, deliveries, want_deliv);
        return 1;
    }
    return st == AGDF_OK ? 0 : 3;
}
