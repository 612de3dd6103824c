/*
** tg_main.c — the main() of every program of tests/threads/: the graph's
** generated main() is compiled with -Dmain=tg_main, and this one runs it with
** the program's arguments, then the graph's own check, tg_run_check() (the
** random graphs get it from tests/threads/tg.h, the hand-written ones define
** their own), which writes its report to the file $TG_REPORT.  The report
** ends with the process's CPU time (user + system, getrusage), which the idle
** test reads.  Exit status: the generated main()'s, or 99 when a check failed.
** With $TG_NOCHECK set (the flag tests: main() may return without a run), only
** the generated main() runs.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int tg_main(int argc, char **argv);
int tg_run_check(int rc, FILE *rep);

int main(int argc, char **argv)
{
    const char *path = getenv("TG_REPORT");
    FILE *rep = path && !getenv("TG_NOCHECK") ? fopen(path, "w") : stdout;
    struct rusage ru;
    int rc, fails;

    if (!rep) {
        perror(path);
        return 98;
    }
    rc = tg_main(argc, argv);
    if (getenv("TG_NOCHECK"))
        return rc;
    fflush(stdout);
    fflush(stderr);
    fails = tg_run_check(rc, rep);
    getrusage(RUSAGE_SELF, &ru);
    fprintf(rep, "cpu_ms %ld\n", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000L);
    if (rep != stdout)
        fclose(rep);
    return fails ? 99 : rc;
}
