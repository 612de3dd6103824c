/* own_main.c — a program's own main around tests/trace/pipe.agdf (built
** without --main), for tests/trace/run.sh: agdf_trace_open before the run, a
** second open refused with EBUSY, RUNS runs of the graph (pipe_init +
** pipe_run each: one trace follows them all), agdf_trace_close; then each
** node's statistics summed over the runs, in --stats' format, for check.py.
**
**   own_main TRACE.json RUNS */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipe.h"

static pipe g;

int main(int argc, char **argv)
{
    agdf_stats sum[16] = {{0, 0, 0, 0}};
    int runs = argc == 3 ? atoi(argv[2]) : 0;
    uint32_t i;

    if (runs < 1) {
        fprintf(stderr, "usage: own_main TRACE.json RUNS\n");
        return 2;
    }
    pipe_init(&g);
    if (agdf_trace_open(&g.agdf, argv[1]) != 0) {
        perror(argv[1]);
        return 2;
    }
    if (agdf_trace_open(&g.agdf, argv[1]) == 0 || errno != EBUSY) {
        fprintf(stderr, "a second agdf_trace_open was not refused with EBUSY\n");
        return 2;
    }
    for (int r = 0; r < runs; r++) {
        if (r > 0)
            pipe_init(&g);
        pipe_run(&g);
        for (i = 0; i < g.agdf.nnodes && i < 16; i++) {
            const agdf_stats *s = agdf_node_stats(&g.agdf, i);
            sum[i].in += s->in;
            sum[i].out += s->out;
            sum[i].err += s->err;
        }
    }
    if (agdf_trace_close() != 0) {
        fprintf(stderr, "agdf_trace_close failed\n");
        return 2;
    }
    for (i = 0; i < g.agdf.nnodes && i < 16; i++)
        fprintf(stderr, "INFO:agdf: %s - in=%llu, out=%llu, err=%llu\n",
                g.agdf.nodes[i].def->name, (unsigned long long)sum[i].in,
                (unsigned long long)sum[i].out, (unsigned long long)sum[i].err);
    return 0;
}
