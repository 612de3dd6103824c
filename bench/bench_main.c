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
** (sizeof the graph struct) and of the runtime's task and node records, and
** the process's CPU time over the run (user + system of every thread).
**
**   NAME [N]      N items from each source (default 1000); exit 1 on a wrong
**                 result, 3 when the run did not end with AGDF_OK
**   NAME N T      (compiled with -DBENCH_THREADS, for a graph with threads > 1:
**                 bench/threads.sh) the run on T threads (agdf_set_threads);
**                 the line also gives each node's threads (placement=)
*/
#define _POSIX_C_SOURCE 200809L

#include BENCH_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
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

static double cpu_s(void)               /* the process: every thread's CPU */
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

#ifdef BENCH_THREADS
/* Sets the threads of the run from argv[2]; prints the placement, a thread
** list per node ("0,0,1/1/..." over the tasks), into buf. */
static int bench_threads(agdf_graph *rt, const char *arg, char *buf, size_t size)
{
    char *end;
    unsigned long t = strtoul(arg, &end, 10);
    uint32_t i, k;
    size_t len = 0;

    if (*end || t < 1 || agdf_set_threads(rt, (uint32_t)t) != 0) {
        fprintf(stderr, "bad thread count %s (agdf_set_threads refused it)\n", arg);
        return -1;
    }
    buf[0] = '\0';
    for (i = 0; i < agdf_node_count(rt) && len + 16 < size; i++)
        for (k = 0; k < rt->nodes[i].def->ntasks && len + 16 < size; k++)
            len += (size_t)snprintf(buf + len, size - len, "%s%d", k ? "," : i ? "/" : "",
                                    agdf_thread_of(rt, i, k));
    return 0;
}
#endif

int main(int argc, char **argv)
{
    long n = 1000;
    double t0, t1, c0, c1, ns;
    char placement[256] = "-";
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
    rt = BENCH_FN(_graph)(&bench_graph);
#ifdef BENCH_THREADS
    if (argc > 2 && bench_threads(rt, argv[2], placement, sizeof placement) != 0)
        return 2;
#endif
    c0 = cpu_s();
    t0 = now_s();
    st = BENCH_FN(_run)(&bench_graph);
    t1 = now_s();
    c1 = cpu_s();

    nodes = agdf_node_count(rt);
    for (i = 0; i < nodes; i++)
        deliveries += agdf_node_stats(rt, i)->in;
    want_sum = bench_expect_sum();
    want_deliv = bench_expect_deliveries();
    ok = bench_sum == want_sum && (long long)deliveries == want_deliv;
    ns = deliveries ? (t1 - t0) * 1e9 / (double)deliveries : 0.0;

    printf("graph=%s n=%ld nodes=%lu deliveries=%llu seconds=%.6f cpu_seconds=%.6f ns=%.4f "
           "placement=%s graph_bytes=%lu task_bytes=%lu node_bytes=%lu check=%s\n",
           BENCH_STR(BENCH_GRAPH), n, (unsigned long)nodes, deliveries, t1 - t0, c1 - c0, ns,
           placement,
           (unsigned long)sizeof(BENCH_G), (unsigned long)sizeof(agdf_task),
           (unsigned long)sizeof(agdf_node), ok ? "ok" : "WRONG");
    if (!ok) {
        fprintf(stderr, "%s: sum %lld (want %lld), deliveries %llu (want %lld)\n",
                BENCH_STR(BENCH_GRAPH), bench_sum, want_sum, deliveries, want_deliv);
        return 1;
    }
    return st == AGDF_OK ? 0 : 3;
}
