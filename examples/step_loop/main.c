/*
** main.c — the step_loop example: an application that owns its main loop (a
** firmware super-loop, a GUI or game loop) and runs the sensor graph inside it
** with sensor_step().  Each turn of the loop does the application's own work
** (here: counts turns), then gives the graph a bounded budget of task
** resumptions.  When the graph has nothing to do until a timer, sensor_step()
** says for how long, and the loop sleeps at most that long (a real loop would
** poll its own events with that timeout).  --virtual-time makes the graph's
** sleeps complete at once; --stats prints the statistics at the end.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sensor.h"

static sensor g;

static void sleep_ms(long long ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
    long turns = 0, waits = 0;
    int stats = 0, r;

    sensor_init(&g);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--virtual-time") == 0)
            agdf_set_virtual_time(sensor_graph(&g), 1);
        else if (strcmp(argv[i], "--stats") == 0)
            stats = 1;
        else {
            fprintf(stderr, "usage: %s [--virtual-time] [--stats]\n", argv[0]);
            return 2;
        }
    }

    for (;;) {
        long long wait_ms = 0;

        turns++;                                /* the application's own work */
        r = sensor_step(&g, 4, &wait_ms);       /* at most 4 task resumptions */
        if (r == AGDF_STEP_DONE)
            break;
        if (r == AGDF_STEP_WAIT) {
            waits++;
            sleep_ms(wait_ms >= 0 && wait_ms < 5 ? wait_ms : 5);
        }
    }

    printf("graph finished: %s\n", agdf_result(sensor_graph(&g)) == AGDF_OK ? "ok" : "errors");
    fprintf(stderr, "step_loop: %ld turns of the main loop, %ld of them waiting\n", turns, waits);
    if (stats)
        agdf_log_stats(sensor_graph(&g));
    return agdf_result(sensor_graph(&g)) == AGDF_OK ? 0 : 1;
}
