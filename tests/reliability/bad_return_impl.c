/* bad_return_impl.c — the body of bad_return.agdf's node check, in a C file:
** it returns 1 ("failed", as C functions do) instead of a body code for item 2. */
#include <stdio.h>

#include "bad_return.h"

int bad_return_check(bad_return_check_task *self, int v)
{
    AGDF_BEGIN(self);
    if (v == 2)
        return 1;
    printf("item %d\n", v);
    AGDF_END(self);
}
