/*
** push_host.c — a host application that pushes 1,000,000 items into an
** input node with queue_size 8 from its own loop: it honours AGDF_FULL by
** stepping the graph (never blocking, never dropping), learns of room from
** the room hook, closes the input and lets the graph drain; the sink's
** on_close prints the total.
*/
#include <stdio.h>
#include "push.h"

static push g;
static long rooms;

static void on_room(void *ud, uint32_t node)
{
    (void)ud;
    if (node == push_NODE_feed)
        rooms++;
}

int main(void)
{
    long next = 0, full = 0;
    long long wait;
    int r;

    push_init(&g);
    agdf_set_room_hook(push_graph(&g), on_room, NULL);
    while (next < 1000000) {
        int p = push_push_feed(&g, next);
        if (p == 0) {
            next++;
            continue;
        }
        if (p != AGDF_FULL)
            return 1;
        full++;
        r = push_step(&g, 64, &wait);
        if (r == AGDF_STEP_DONE)
            return 1;
    }
    if (push_room(&g, push_NODE_feed) > 8)
        return 1;
    push_close_feed(&g);
    if (push_push_feed(&g, 1) != AGDF_CLOSED)
        return 1;
    while ((r = push_step(&g, 64, &wait)) != AGDF_STEP_DONE) {
        if (r == AGDF_STEP_IDLE)
            return 2;
    }
    printf("pushed=%ld full>0:%d rooms>0:%d status=%d\n", next, full > 0, rooms > 0,
           (int)agdf_result(push_graph(&g)));
    agdf_log_stats(push_graph(&g));
    return 0;
}
