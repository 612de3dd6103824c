/*
** agdf_ring.c — the slow paths of the cross-thread ring (agdf_ring.h): its
** initialisation and the sleep/wake protocol.  A side that finds the ring
** full (producer) or empty (consumer) polls AGDF_RING_SPIN times, then arms
** its flag, re-checks (a SEQ_CST store, then SEQ_CST loads) and sleeps on the
** flag: a Linux futex (FUTEX_WAIT_PRIVATE with expected value 1, so a wake-up
** that comes first makes the wait return at once).  The other side's
** publish/release sees the armed flag after its own SEQ_CST store, clears it
** and issues one FUTEX_WAKE; a publish that finds no armed flag makes no
** system call.  Elsewhere than
** Linux the sleep is a 50 us nanosleep in a loop on the same flag (correct,
** slower to wake).  No memory is allocated.
*/
#define _GNU_SOURCE 1   /* syscall(2) */
#include "agdf_ring.h"

#include <time.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

int agdf_ring_init(agdf_ring *r, void *storage, size_t bytes, uint32_t cap, uint32_t size)
{
    agdf_ring zero = {0};
    if (cap == 0 || cap > AGDF_RING_MAX_CAP || size == 0 || !storage) return -1;
    if ((size_t)cap > (size_t)-1 / size || bytes < AGDF_RING_BYTES(cap, size)) return -1;
    *r = zero;
    r->slots = storage;
    r->cap = cap;
    r->size = size;
    return 0;
}

/* One polite instruction between polls of a spin (lets the sibling
** hyper-thread run; no effect on correctness). */
static void agdf__ring_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Sleeps while *flag is 1 (returns at once if it is not). */
static void agdf__ring_sleep(uint32_t *flag)
{
#if defined(__linux__)
    syscall(SYS_futex, flag, FUTEX_WAIT_PRIVATE, 1u, (void *)0, (void *)0, 0);
#else
    struct timespec ts = {0, 50000};
    while (AGDF__RING_LOAD_ACQ(flag)) nanosleep(&ts, (struct timespec *)0);
#endif
}

void agdf__ring_wake(uint32_t *flag, uint64_t *wakes)
{
    if (!AGDF__RING_XCHG(flag, 0u)) return;     /* the waiter saw progress itself */
    ++*wakes;
#if defined(__linux__)
    syscall(SYS_futex, flag, FUTEX_WAKE_PRIVATE, 1, (void *)0, (void *)0, 0);
#endif
}

static int agdf__ring_has_space(agdf_ring *r)
{
    r->p_tail = AGDF__RING_LOAD_SC(&r->tail);  /* SEQ_CST: the Dekker re-check */
    return r->p_head - r->p_tail < r->cap;
}

/* 1 when an item is there, 0 when the ring is closed and empty, -1 when it
** is empty but not closed.  closed is read before head: once closed is seen,
** the head read after it is the final one. */
static int agdf__ring_has_items(agdf_ring *r)
{
    uint32_t closed = AGDF__RING_LOAD_SC(&r->closed);
    r->c_head = AGDF__RING_LOAD_SC(&r->head);
    if (r->c_head != r->c_tail) return 1;
    return closed ? 0 : -1;
}

void agdf_ring_wait_space(agdf_ring *r)
{
    int i;
    for (;;) {
        for (i = 0; i < AGDF_RING_SPIN; i++) {
            if (agdf__ring_has_space(r)) return;
            agdf__ring_pause();
        }
        AGDF__RING_STORE_SC(&r->p_wait, 1u);    /* Dekker: see agdf_ring.h */
        if (agdf__ring_has_space(r)) {
            AGDF__RING_XCHG(&r->p_wait, 0u);
            return;
        }
        r->p_sleeps++;
        agdf__ring_sleep(&r->p_wait);
        AGDF__RING_XCHG(&r->p_wait, 0u);        /* a spurious wake-up too */
    }
}

int agdf_ring_wait_items(agdf_ring *r)
{
    int i, s;
    for (;;) {
        for (i = 0; i < AGDF_RING_SPIN; i++) {
            if ((s = agdf__ring_has_items(r)) >= 0) return s;
            agdf__ring_pause();
        }
        AGDF__RING_STORE_SC(&r->c_wait, 1u);
        if ((s = agdf__ring_has_items(r)) >= 0) {
            AGDF__RING_XCHG(&r->c_wait, 0u);
            return s;
        }
        r->c_sleeps++;
        agdf__ring_sleep(&r->c_wait);
        AGDF__RING_XCHG(&r->c_wait, 0u);
    }
}
