/*
** agdf_ring.h — the cross-thread edge: a bounded single-producer
** single-consumer ring of fixed-size items over storage the caller provides
** (static memory, no malloc), with batch publish/consume and a sleep/wake
** protocol for an idle consumer or a producer blocked by backpressure.
** Capacity is exact: any value from 1 to AGDF_RING_MAX_CAP, not rounded.
**
** Memory ordering.  `head` counts the items the producer has published, `tail`
** the items the consumer has released; both run freely modulo 2^32, so
** head - tail (unsigned) is the fill level, exact because capacity <= 2^31.
** Only the producer writes head and only the consumer writes tail.  The
** producer writes the slots, then stores head with RELEASE; the consumer loads
** head with ACQUIRE before reading the slots, so every slot it reads was fully
** written (release/acquire pair on head).  Symmetrically the consumer finishes
** reading slots, then stores tail with RELEASE; the producer loads tail with
** ACQUIRE before overwriting a slot, so it never overwrites one still being
** read (the publishing stores are SEQ_CST, which includes RELEASE).  Each
** side keeps a private cached copy of the other side's index and reloads the
** shared one only when the cache says "too full" (producer) or "too few"
** (consumer): in steady state a batch costs one shared store on the
** writer's own cache line, not a line transfer per item.  Sleeping is a
** Dekker handshake: the waiter stores its armed flag, then re-loads the
** index; the other side stores the index, then loads the flag.  All four
** accesses are SEQ_CST, so they fall in one total order and at least one side
** sees the other's store: either the waiter sees progress and does not sleep,
** or the publisher sees the flag and wakes it.  The futex wait is on the flag
** with expected value 1, so a wake that lands before the wait makes the wait
** return at once (no lost wake-up).  A publish whose flag load reads 0 makes
** no system call: the protocol costs one SEQ_CST store per batch (XCHG on
** x86-64, STLR on AArch64).  No standalone fence is used: ThreadSanitizer
** models these atomics but not fences (gcc refuses a fence under
** -fsanitize=thread).
**
** Hot paths are inline here; the sleeping slow paths are in agdf_ring.c.  The
** atomics are GCC/Clang __atomic builtins behind AGDF__RING_* macros (the
** runtime is C99: no <stdatomic.h>).  Prefixes: agdf_ring_ public, agdf__ring_
** internal.
*/
#ifndef AGDF_RING_H
#define AGDF_RING_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- atomics */
#define AGDF__RING_LOAD_ACQ(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define AGDF__RING_LOAD_SC(p)      __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define AGDF__RING_STORE_SC(p, v)  __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define AGDF__RING_XCHG(p, v)      __atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)

/* Fields written by different threads live on different cache lines, so a
** store by one side never invalidates the line the other side writes.  64 is
** the line size of current x86-64 and most AArch64 cores. */
#define AGDF__RING_LINE 64
#define AGDF__RING_ALIGNED __attribute__((aligned(AGDF__RING_LINE)))

#define AGDF_RING_MAX_CAP 0x80000000u   /* 2^31: head - tail stays exact */
#define AGDF_RING_SPIN 128              /* polls before sleeping (bounded) */

/* The storage a ring of `cap` items of `size` bytes needs; the caller checks
** the product fits (agdf_ring_init refuses storage that is too small). */
#define AGDF_RING_BYTES(cap, size) ((size_t)(cap) * (size_t)(size))

typedef struct agdf_ring {
    /* read-only after agdf_ring_init */
    unsigned char *slots;       /* cap * size bytes, caller's storage */
    uint32_t cap;               /* capacity in items, exact */
    uint32_t size;              /* bytes per item */

    /* written by the producer, read by the consumer */
    AGDF__RING_ALIGNED uint32_t head;   /* items published (free-running) */
    uint32_t closed;            /* 1: no item will follow head */
    uint64_t start;             /* graph edges (agdf_mt.c): item count << 32 | its
                                   slot, where a burst restarts; ~0: none */

    /* written by the consumer, read by the producer */
    AGDF__RING_ALIGNED uint32_t tail;   /* items released (free-running) */

    /* the producer's private line; c_wait is only written when sleeping */
    AGDF__RING_ALIGNED uint32_t p_head; /* producer's copy of head */
    uint32_t p_tail;            /* cached tail: reloaded when "full" */
    uint32_t p_pos;             /* slot index of p_head (p_head mod cap) */
    uint32_t c_wait;            /* futex word: 1 = consumer sleeps or will */
    uint64_t p_sleeps;          /* times the producer slept (statistics) */
    uint64_t p_wakes;           /* wake system calls the producer issued */
    struct agdf_node *shadow;   /* graph edges: the destination's shadow in the producer's thread */
    uint32_t p_next;            /* ... the producer thread's next ring (index + 1, 0: last) */
    uint32_t c_thread;          /* ... the consumer's thread */
    uint32_t p_balance;         /* ... a spread node's balancing ring: its threads (shadow:
                                   the node at its home), 0: an edge's ring */

    /* the consumer's private line; p_wait is only written when sleeping */
    AGDF__RING_ALIGNED uint32_t c_tail; /* consumer's copy of tail */
    uint32_t c_head;            /* cached head: reloaded when "empty" */
    uint32_t c_pos;             /* slot index of c_tail */
    uint32_t p_wait;            /* futex word: 1 = producer sleeps or will */
    uint64_t c_sleeps;          /* times the consumer slept (statistics) */
    uint64_t c_wakes;           /* wake system calls the consumer issued */
    struct agdf_node *dst;      /* graph edges: the destination node in its own thread */
    uint32_t c_next;            /* ... the consumer thread's next ring (index + 1, 0: last) */
    uint32_t p_thread;          /* ... the producer's thread */
} agdf_ring;

/* Sets r up over `storage` (aligned for the item type: declare it as an array
** of cap items).  0, or -1 when cap is 0 or above AGDF_RING_MAX_CAP, size is 0, or `bytes`
** is less than AGDF_RING_BYTES(cap, size) (or the product overflows). */
int agdf_ring_init(agdf_ring *r, void *storage, size_t bytes, uint32_t cap, uint32_t size);

/* Slow paths (agdf_ring.c): block until there is at least one free slot /
** one item, polling AGDF_RING_SPIN times, then sleeping.  wait_items returns
** 1 when an item is there, 0 when the ring is closed and empty. */
void agdf_ring_wait_space(agdf_ring *r);
int agdf_ring_wait_items(agdf_ring *r);
void agdf__ring_wake(uint32_t *flag, uint64_t *wakes);

/* ---------------------------------------------------------------- producer */

/* Up to `want` free slots, contiguous in storage, starting at the returned
** pointer; *got is their number (0 when full: the result is then NULL).  A
** batch that would wrap is cut at the end of storage; the rest comes with the
** next reserve.  Nothing is visible to the consumer before agdf_ring_publish. */
static inline void *agdf_ring_reserve(agdf_ring *r, uint32_t want, uint32_t *got)
{
    uint32_t n = r->cap - (r->p_head - r->p_tail);
    if (n < want) {                             /* cache says too full: look */
        r->p_tail = AGDF__RING_LOAD_ACQ(&r->tail);
        n = r->cap - (r->p_head - r->p_tail);
    }
    if (n > want) n = want;
    if (n > r->cap - r->p_pos) n = r->cap - r->p_pos;
    *got = n;
    return n ? r->slots + (size_t)r->p_pos * r->size : NULL;
}

/* Makes the first n reserved slots visible (n <= the last reserve's *got),
** then wakes the consumer if, and only if, it has armed its flag. */
static inline void agdf_ring_publish(agdf_ring *r, uint32_t n)
{
    r->p_head += n;
    r->p_pos += n;
    if (r->p_pos == r->cap) r->p_pos = 0;
    AGDF__RING_STORE_SC(&r->head, r->p_head);   /* Dekker: see the header */
    if (AGDF__RING_LOAD_SC(&r->c_wait)) agdf__ring_wake(&r->c_wait, &r->p_wakes);
}

/* No item will follow the ones published: a consumer that finds the ring
** empty and closed gets 0 from agdf_ring_wait_items. */
static inline void agdf_ring_close(agdf_ring *r)
{
    AGDF__RING_STORE_SC(&r->closed, 1u);
    if (AGDF__RING_LOAD_SC(&r->c_wait)) agdf__ring_wake(&r->c_wait, &r->p_wakes);
}

/* ---------------------------------------------------------------- consumer */

/* Up to `want` published items, contiguous in storage; *got is their number
** (0 when empty: the result is then NULL).  They stay in the ring, and the
** producer cannot overwrite them, until agdf_ring_release. */
static inline const void *agdf_ring_peek(agdf_ring *r, uint32_t want, uint32_t *got)
{
    uint32_t n = r->c_head - r->c_tail;
    if (n < want) {                             /* cache says too few: look */
        r->c_head = AGDF__RING_LOAD_ACQ(&r->head);
        n = r->c_head - r->c_tail;
    }
    if (n > want) n = want;
    if (n > r->cap - r->c_pos) n = r->cap - r->c_pos;
    *got = n;
    return n ? r->slots + (size_t)r->c_pos * r->size : NULL;
}

/* Frees the first n peeked items (n <= the last peek's *got), then wakes the
** producer if, and only if, it has armed its flag. */
static inline void agdf_ring_release(agdf_ring *r, uint32_t n)
{
    r->c_tail += n;
    r->c_pos += n;
    if (r->c_pos == r->cap) r->c_pos = 0;
    AGDF__RING_STORE_SC(&r->tail, r->c_tail);
    if (AGDF__RING_LOAD_SC(&r->p_wait)) agdf__ring_wake(&r->p_wait, &r->c_wakes);
}

#endif
