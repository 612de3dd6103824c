/*
** main.c — the driver of the raising errors example.  After the run it prints the
** errors recorded for each node ("Exceptions: [...]", one line per node in
** declaration order, like the reference's executor.exceptions), and when there is
** any it reports failure on stderr and exits with status 1.  --stats also logs the
** final statistics.
*/
#include <stdio.h>
#include <string.h>

#include "raising_errors.h"

static raising_errors g;

int main(int argc, char **argv)
{
    agdf_graph *ag;
    int any = 0;

    raising_errors_init(&g);
    ag = raising_errors_graph(&g);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--virtual-time") == 0) {
            agdf_set_virtual_time(ag, 1);
        } else if (strcmp(argv[i], "--stats") != 0) {
            fprintf(stderr, "usage: %s [--stats] [--virtual-time]\n", argv[0]);
            return 2;
        }
    }

    raising_errors_run(&g);

    for (int node = 0; node < raising_errors_NNODES; node++) {
        int n = agdf_error_count(ag, node);
        printf("Exceptions: [");
        for (int i = 0; i < n; i++)
            printf("%s'%s'", i ? ", " : "", agdf_error_at(ag, node, i)->msg);
        printf("]\n");
        any |= n > 0;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--stats") == 0)
            agdf_log_stats(ag);
    if (any) {
        fprintf(stderr, "raising_errors: oh no! something went wrong in the graph execution\n");
        return 1;
    }
    return 0;
}
