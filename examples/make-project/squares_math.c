/* squares_math.c — the plain C the squares graph calls: nothing here knows
** about agdf, so editing squares.agdf never recompiles this file. */
int square(int x);

int square(int x) {
    return x * x;
}
