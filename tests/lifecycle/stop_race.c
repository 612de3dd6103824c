/*
** stop_race.c — agdf_stop from another thread while runs of push.agdf end:
** the stopping thread calls agdf_stop in a loop, so some of its calls meet
** the end of the run, when the wake pipe closes.  Built with
** -fsanitize=thread by tests/lifecycle/run.sh: a write(2) racing the close(2)
** of the pipe (or writing to a reused descriptor) is reported.  Each run must
** end DONE with AGDF_OK (the stop came too late) or AGDF_STOPPED.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include "push.h"

#define RUNS 200

static push g;
static int quit;                        /* the main thread's run is over */

static void *stopper(void *arg)
{
    long k = 0;
    (void)arg;
    while (!__atomic_load_n(&quit, __ATOMIC_ACQUIRE) && k++ < 10000000)
        agdf_stop(push_graph(&g), AGDF_STOP_DRAIN);
    return NULL;
}

int main(void)
{
    int run, ok = 0, stopped = 0;

    for (run = 0; run < RUNS; run++) {
        pthread_t th;
        agdf_status st;
        long i;

        push_init(&g);
        if (agdf_wake_fd(push_graph(&g)) < 0)
            return 1;
        for (i = 0; i < 8 && push_push_feed(&g, i) == 0; i++)
            ;
        push_close_feed(&g);
        __atomic_store_n(&quit, 0, __ATOMIC_RELEASE);
        if (pthread_create(&th, NULL, stopper, NULL) != 0)
            return 1;
        st = push_run(&g);
        __atomic_store_n(&quit, 1, __ATOMIC_RELEASE);
        pthread_join(th, NULL);
        if (st == AGDF_OK)
            ok++;
        else if (st == AGDF_STOPPED)
            stopped++;
        else
            return 2;
    }
    printf("runs: %d, each OK or STOPPED: %d\n", RUNS, ok + stopped == RUNS);
    return 0;
}
