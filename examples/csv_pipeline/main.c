/*
** main.c — the command-line tool around the csv_pipeline graph:
**
**     csv_pipeline [--stats] [--virtual-time] INPUT.csv OUTPUT.csv
**
** It sets the output path, queues one start item for read_pages with the input
** path (the typed start function the compiler generates), runs the graph, prints
** a summary (pages and records read and written, breweries per state) and exits
** with 0, or 1 when any node raised an error (each error is also logged on stderr).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_pipeline.h"

const char *csv_output_path;
int csv_header_written;
long csv_records_read, csv_records_written, csv_pages_read;
struct state_count csv_states[MAX_STATES];
int csv_nstates;

static csv_pipeline g;

static int by_count(const void *a, const void *b)
{
    const struct state_count *x = a, *y = b;
    if (x->n != y->n)
        return y->n - x->n;
    return strcmp(x->state, y->state);
}

static int usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [--stats] [--virtual-time] INPUT.csv OUTPUT.csv\n", argv0);
    return 2;
}

int main(int argc, char **argv)
{
    const char *input = NULL;
    int stats = 0, virtual_time = 0;
    agdf_status st;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stats") == 0)
            stats = 1;
        else if (strcmp(argv[i], "--virtual-time") == 0)
            virtual_time = 1;
        else if (argv[i][0] == '-')
            return usage(argv[0]);
        else if (!input)
            input = argv[i];
        else if (!csv_output_path)
            csv_output_path = argv[i];
        else
            return usage(argv[0]);
    }
    if (!input || !csv_output_path)
        return usage(argv[0]);

    csv_pipeline_init(&g);
    if (virtual_time)
        agdf_set_virtual_time(csv_pipeline_graph(&g), 1);
    if (csv_pipeline_start_read_pages(&g, input) != 0) {
        fprintf(stderr, "csv_pipeline: cannot queue the start item\n");
        return 1;
    }
    st = csv_pipeline_run(&g);

    printf("read %ld records in %ld pages from %s\n", csv_records_read, csv_pages_read, input);
    printf("wrote %ld records to %s\n", csv_records_written, csv_output_path);
    qsort(csv_states, (size_t)csv_nstates, sizeof csv_states[0], by_count);
    printf("breweries per state:");
    for (int i = 0; i < csv_nstates; i++)
        printf("%s %s %d", i ? "," : "", csv_states[i].state, csv_states[i].n);
    printf("\n");
    if (stats)
        agdf_log_stats(csv_pipeline_graph(&g));
    return st == AGDF_OK ? 0 : 1;
}
