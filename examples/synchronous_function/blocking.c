/*
** blocking.c — the synchronous function of the synchronous_function example: an
** ordinary blocking call (here nanosleep) that knows nothing about agdf.  The graph
** runs it with AGDF_OFFLOAD(blocking_sleep, &ms), on a worker thread.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "synchronous_function.h"

void blocking_sleep(void *ms_ptr)
{
    long ms = *(const long *)ms_ptr;
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
