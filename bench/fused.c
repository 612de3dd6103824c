/*
** fused.c — the floor of the benchmark suite: the work of a benchmark graph
** fused by hand into one C loop, measured in the same run as the graphs.  A
** chain of L nodes becomes: for each i, v = i, then L-2 stages of v = v + 1,
** then the sink's `sum += v`; a fan-out 1 -> K adds each item K times; a fan-in
** K -> 1 adds n/K items from each of K loops.  The sum is a volatile global,
** as the graphs' sink adds into a global, so the compiler can neither delete
** the per-item work nor vectorise it away; L and N come from argv so nothing is
** folded at compile time.  Output: the same key=value line as bench_main.c,
** with "deliveries" counted as the graph would count them (items times edges),
** so ns per delivery compares directly.
**
**   fused chain L N | fused fanout K N | fused fanin K N
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile long long sink_sum;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1) {
        fprintf(stderr, "fused: bad number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long k, n, i, s, j;
    long long want, deliveries;
    double t0, t1;

    if (argc != 4) {
        fprintf(stderr, "usage: %s chain|fanout|fanin L|K N\n", argv[0]);
        return 2;
    }
    k = arg(argv[2]);
    n = arg(argv[3]);
    sink_sum = 0;
    t0 = now_s();
    if (strcmp(argv[1], "chain") == 0 && k >= 2) {
        for (i = 0; i < n; i++) {
            long v = i;
            for (s = 0; s < k - 2; s++)
                v = v + 1;
            sink_sum += v;
        }
        t1 = now_s();
        want = (long long)n * (n - 1) / 2 + (long long)n * (k - 2);
        deliveries = (long long)n * (k - 1);
    } else if (strcmp(argv[1], "fanout") == 0) {
        for (i = 0; i < n; i++)
            for (j = 0; j < k; j++)
                sink_sum += i;
        t1 = now_s();
        want = k * ((long long)n * (n - 1) / 2);
        deliveries = (long long)n * k;
    } else if (strcmp(argv[1], "fanin") == 0) {
        long m = n / k;
        for (j = 0; j < k; j++)
            for (i = 0; i < m; i++)
                sink_sum += i;
        t1 = now_s();
        want = k * ((long long)m * (m - 1) / 2);
        deliveries = (long long)m * k;
    } else {
        fprintf(stderr, "fused: unknown shape %s\n", argv[1]);
        return 2;
    }
    printf("graph=fused_%s%ld n=%ld nodes=0 deliveries=%lld seconds=%.6f ns=%.4f "
           "graph_bytes=0 task_bytes=0 node_bytes=0 check=%s\n",
           argv[1], k, n, deliveries, t1 - t0, (t1 - t0) * 1e9 / (double)deliveries,
           sink_sum == want ? "ok" : "WRONG");
    return sink_sum == want ? 0 : 1;
}
