/*
** tcp_host.c — a program that owns its poll() loop and runs a graph in it,
** in the same thread: it listens on 127.0.0.1 (an ephemeral port, printed on
** stdout), accepts connections, splits what they send into lines and pushes
** each into the graph's input (keeping it when the push says AGDF_FULL), and
** puts the graph's own fd waits (agdf_pollfds) beside its sockets in one
** poll.  A line "quit" closes the input: the graph drains, its on_close
** prints the total, and the program exits.  Bounded: it gives up after 10 s.
*/
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "echo.h"

#define MAXCONN 8
#define MAXFDS (1 + MAXCONN + echo_NTASKS + 1)
#define PENDING 256

static echo g;
static int conns[MAXCONN], nconn;
static char partial[MAXCONN][64];
static int plen[MAXCONN];
static line pending[PENDING];           /* lines read, not yet accepted by the graph */
static int phead, pcount, quitting;

static int listen_loopback(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int s = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        return -1;
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    return s;
}

/* Pushes the pending lines while the input takes them. */
static void feed(void)
{
    while (pcount > 0 && echo_push_req(&g, pending[phead]) == 0) {
        phead = (phead + 1) % PENDING;
        pcount--;
    }
    if (pcount == 0 && quitting == 1) {
        echo_close_req(&g);
        quitting = 2;
    }
}

static void got_line(int c, const char *s, int n)
{
    line l;

    if (n == 4 && memcmp(s, "quit", 4) == 0) {
        quitting = quitting ? quitting : 1;
        return;
    }
    if (quitting || pcount == PENDING)
        return;
    memset(&l, 0, sizeof l);
    l.fd = conns[c];
    l.len = n + 1;
    memcpy(l.s, s, (size_t)n);
    l.s[n] = '\n';
    pending[(phead + pcount++) % PENDING] = l;
}

static void read_conn(int c)
{
    char buf[256];
    ssize_t n = read(conns[c], buf, sizeof buf);

    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            got_line(c, partial[c], plen[c]);
            plen[c] = 0;
        } else if (plen[c] < 62) {
            partial[c][plen[c]++] = buf[i];
        }
    }
}

int main(void)
{
    struct pollfd fds[MAXFDS];
    struct timespec t0, t;
    long long wait;
    int lfd = listen_loopback(), r = AGDF_STEP_READY, i;

    if (lfd < 0)
        return 1;
    echo_init(&g);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int n = 0, ng, timeout;
        feed();
        while ((r = echo_step(&g, 64, &wait)) == AGDF_STEP_READY)
            feed();
        if (r == AGDF_STEP_DONE)
            break;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec > 10)
            return 2;                       /* bounded */
        fds[n].fd = quitting ? -1 : lfd;
        fds[n++].events = POLLIN;
        for (i = 0; i < nconn; i++) {
            fds[n].fd = pcount > PENDING / 2 ? -1 : conns[i];
            fds[n++].events = POLLIN;
        }
        ng = agdf_pollfds(echo_graph(&g), fds + n, MAXFDS - n);
        if (ng < 0)
            return 3;
        timeout = wait < 0 || wait > 100 ? 100 : (int)wait;
        if (poll(fds, (nfds_t)(n + ng), timeout) < 0)
            return 4;
        agdf_pollfds_ready(echo_graph(&g), fds + n, ng);
        if (fds[0].revents & POLLIN && nconn < MAXCONN) {
            int c = accept(lfd, NULL, NULL);
            if (c >= 0)
                conns[nconn++] = c;
        }
        for (i = 0; i < nconn; i++) {
            if (fds[1 + i].revents)
                read_conn(i);
        }
    }
    fflush(stdout);
    agdf_log_stats(echo_graph(&g));
    for (i = 0; i < nconn; i++)
        close(conns[i]);
    close(lfd);
    return agdf_result(echo_graph(&g)) == AGDF_OK ? 0 : 5;
}
