/*
** load.c — the body of the etl example's load node, written in plain C instead of
** in etl.agdf.  The generated etl.h declares the task type etl_load_task and the
** prototype below; AGDF_OUT_MAKE names the generated function that builds this
** node's output items (used by AGDF_YIELD).  The body follows the same rules as an
** inline one: AGDF_BEGIN/AGDF_END around it, state fields through self->, locals
** lost at each suspension.
*/
#include <stdio.h>

#include "etl.h"

#define AGDF_OUT_MAKE etl_load_OUT

int etl_load(etl_load_task *self, word data)
{
    AGDF_BEGIN(self);
    printf("Data in Load: %s\n", data.s);
    AGDF_YIELD();
    AGDF_END(self);
}
