/*
** post_host.c — another thread feeds push.agdf's input with push_post_feed
** (200,000 items through the bounded inbox, retrying on AGDF_FULL) while the
** main thread runs the graph: push_run returns AGDF_IDLE when it has nothing
** to do, agdf_wait sleeps until a post wakes it (the wake pipe), and once the
** producer is done the main thread closes the input and the run drains.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include "push.h"

#define N 200000L

static push g;
static long fulls;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int done;                        /* the producer posted everything */

static int producer_done(void)
{
    int d;
    pthread_mutex_lock(&mu);
    d = done;
    pthread_mutex_unlock(&mu);
    return d;
}

static void *producer(void *arg)
{
    long i;
    (void)arg;
    for (i = 0; i < N;) {
        int r = push_post_feed(&g, i);
        if (r == 0) {
            i++;
        } else if (r == AGDF_FULL) {
            struct timespec ts = { 0, 100000 };
            fulls++;
            nanosleep(&ts, NULL);
        } else {
            fprintf(stderr, "post: %d\n", r);
            break;
        }
    }
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t th;
    agdf_status st;
    int closed = 0, loops = 0;

    push_init(&g);
    if (agdf_wake_fd(push_graph(&g)) < 0)
        return 1;
    if (pthread_create(&th, NULL, producer, NULL) != 0)
        return 1;
    for (;;) {
        st = push_run(&g);
        if (st != AGDF_IDLE)
            break;
        if (++loops > 10000000)
            return 2;                       /* bounded */
        if (!closed && producer_done()) {
            push_close_feed(&g);            /* every post is in the inbox by now */
            closed = 1;
            continue;
        }
        agdf_wait(push_graph(&g), 100);     /* a post wakes it */
    }
    pthread_join(th, NULL);
    printf("status=%d closed=%d\n", (int)st, closed);
    agdf_log_stats(push_graph(&g));
    return 0;
}
