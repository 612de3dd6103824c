/*
** main.c — the driver of the concurrent tasks example: like the reference's
** `for max_tasks in (1, 5)` loop, it runs the same graph with node2 at max_tasks 1
** (graph tasks1) and at max_tasks 5 (graph tasks5), printing each run's output and
** its execution time.  Five items that each sleep S take 5*S with one task and S
** with five.  Options: --sleep-ms=N (node2's sleep, default 2000, as the
** reference), --virtual-time (sleeps take no real time; no times printed),
** --stats (each graph's final statistics on stderr).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tasks1.h"
#include "tasks5.h"

long node2_sleep_ms = 2000;

static tasks1 g1;       /* the graphs are plain structs: no allocation */
static tasks5 g5;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs one graph (already initialised), prints its execution time in real mode. */
static int timed_run(agdf_graph *ag, agdf_status (*run)(void *), void *g,
                     int virtual_time, int stats, double *elapsed)
{
    double t0;
    agdf_status st;

    if (virtual_time)
        agdf_set_virtual_time(ag, 1);
    t0 = now_ms();
    st = run(g);
    *elapsed = now_ms() - t0;
    if (!virtual_time)
        printf("execution time: %.0f ms\n", *elapsed);
    if (stats)
        agdf_log_stats(ag);
    printf("\n");
    fflush(stdout);
    return st == AGDF_OK ? 0 : 1;
}

static agdf_status run1(void *g) { return tasks1_run(g); }
static agdf_status run5(void *g) { return tasks5_run(g); }

int main(int argc, char **argv)
{
    int virtual_time = 0, stats = 0, rc = 0;
    double t1, t5;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--virtual-time") == 0)
            virtual_time = 1;
        else if (strcmp(argv[i], "--stats") == 0)
            stats = 1;
        else if (strncmp(argv[i], "--sleep-ms=", 11) == 0)
            node2_sleep_ms = strtol(argv[i] + 11, NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--sleep-ms=N] [--virtual-time] [--stats]\n", argv[0]);
            return 2;
        }
    }

    printf("max_tasks: 1\n");
    fflush(stdout);
    tasks1_init(&g1);
    rc |= timed_run(tasks1_graph(&g1), run1, &g1, virtual_time, stats, &t1);

    printf("max_tasks: 5\n");
    fflush(stdout);
    tasks5_init(&g5);
    rc |= timed_run(tasks5_graph(&g5), run5, &g5, virtual_time, stats, &t5);

    if (!virtual_time && t5 > 0)
        printf("speed-up: %.1fx\n", t1 / t5);
    return rc;
}
