/*
** idle_host.c — drives idle.agdf with NAME_step under virtual time: the
** graph runs the ticker's 2 s, reports AGDF_STEP_IDLE (alive, not done) as
** long as the input is open, takes pushed items, and finishes right after
** idle_close_cmd; then an abort on a second run counts its dropped items.
*/
#include <stdio.h>
#include "idle.h"

static idle g;

static const char *step_name(int r)
{
    return r == AGDF_STEP_DONE ? "DONE" : r == AGDF_STEP_READY ? "READY"
         : r == AGDF_STEP_WAIT ? "WAIT" : r == AGDF_STEP_IDLE ? "IDLE" : "?";
}

/* Steps until something other than READY; prints it. */
static int settle(void)
{
    long long wait;
    int r;

    while ((r = idle_step(&g, 100, &wait)) == AGDF_STEP_READY)
        ;
    printf("step: %s wait=%lld now=%lld\n", step_name(r), r == AGDF_STEP_DONE ? 0 : wait,
           (long long)agdf_now_ms(idle_graph(&g)));
    return r;
}

int main(void)
{
    int i;

    idle_init(&g);
    agdf_set_virtual_time(idle_graph(&g), 1);
    settle();
    settle();                       /* idle again: nothing happens by itself */
    for (i = 1; i <= 3; i++)        /* queue_size 2: the third is refused */
        printf("push %d: %d\n", i, idle_push_cmd(&g, i));
    printf("room: %u\n", (unsigned)idle_room(&g, idle_NODE_cmd));
    settle();
    idle_close_cmd(&g);
    printf("push after close: %s\n", idle_push_cmd(&g, 4) == AGDF_CLOSED ? "CLOSED" : "?");
    settle();
    printf("status: %d\n", (int)agdf_result(idle_graph(&g)));

    /* Abort: items queued and not run are counted as dropped. */
    idle_init(&g);
    agdf_set_virtual_time(idle_graph(&g), 1);
    for (i = 0; i < 2; i++)
        (void)idle_push_cmd(&g, 10 + i);
    idle_stop(&g, AGDF_STOP_ABORT);
    settle();
    printf("aborted: status %d, cmd dropped %llu\n", (int)agdf_result(idle_graph(&g)),
           (unsigned long long)agdf_node_stats(idle_graph(&g), idle_NODE_cmd)->dropped);
    return 0;
}
