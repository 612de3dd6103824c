/*
** test_rt_ring.c — single-thread semantics of the cross-thread ring
** (runtime/agdf_ring.h): init refuses what it must, capacity is exact for any
** value (not rounded to a power of two), items come out in order and intact
** across wrap-around, a batch is cut at the end of storage and never exceeds
** the free space or the published items, reserved but unpublished slots stay
** invisible, full and empty are reported as such, close ends the stream only
** once it is drained, and no wake-up system call is made while nobody sleeps.
** The concurrent behaviour (sleeping, TSan) is tests/ring/run.sh's.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "agdf_ring.h"

typedef struct item { uint32_t seq; uint32_t neg; } item;   /* neg = ~seq */

static item store[64];
static agdf_ring R;

static void setup_ring(uint32_t cap)
{
    memset(store, 0, sizeof store);
    assert_int_equal(agdf_ring_init(&R, store, sizeof store, cap, sizeof(item)), 0);
}

/* Writes items seq, seq+1, ... into up to `want` reserved slots; returns
** how many (the reserve's *got), all published. */
static uint32_t put(uint32_t want, uint32_t *seq)
{
    uint32_t got, i;
    item *p = agdf_ring_reserve(&R, want, &got);
    assert_true((p == NULL) == (got == 0));
    for (i = 0; i < got; i++, ++*seq) {
        p[i].seq = *seq;
        p[i].neg = ~*seq;
    }
    agdf_ring_publish(&R, got);
    return got;
}

/* Takes up to `want` items, checking they are seq, seq+1, ... */
static uint32_t take(uint32_t want, uint32_t *seq)
{
    uint32_t got, i;
    const item *p = agdf_ring_peek(&R, want, &got);
    assert_true((p == NULL) == (got == 0));
    for (i = 0; i < got; i++, ++*seq) {
        assert_int_equal(p[i].seq, *seq);
        assert_int_equal(p[i].neg, ~*seq);
    }
    agdf_ring_release(&R, got);
    return got;
}

static void test_init_refuses(void **state)
{
    (void)state;
    assert_int_equal(agdf_ring_init(&R, store, sizeof store, 0, sizeof(item)), -1);
    assert_int_equal(agdf_ring_init(&R, store, sizeof store, 1, 0), -1);
    assert_int_equal(agdf_ring_init(&R, NULL, sizeof store, 1, sizeof(item)), -1);
    assert_int_equal(agdf_ring_init(&R, store, sizeof store, 65, sizeof(item)), -1);   /* too small */
    assert_int_equal(agdf_ring_init(&R, store, (size_t)-1, AGDF_RING_MAX_CAP + 1u, 1), -1);
    assert_int_equal(agdf_ring_init(&R, store, sizeof store, 64, sizeof(item)), 0);
    assert_int_equal(agdf_ring_init(&R, store, 7 * sizeof(item), 7, sizeof(item)), 0);
}

/* Filling one item at a time stops at exactly cap, for powers of two and not. */
static void test_capacity_exact(void **state)
{
    static const uint32_t caps[] = {1, 2, 3, 5, 7, 16, 33, 64};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        uint32_t in = 0, out = 0, n = 0;
        setup_ring(caps[k]);
        while (put(1, &in)) n++;
        assert_int_equal(n, caps[k]);
        assert_int_equal(put(5, &in), 0);                 /* still full */
        assert_int_equal(take(caps[k] + 10, &out), caps[k]);  /* all of it, once */
        assert_int_equal(take(1, &out), 0);               /* empty */
    }
}

/* A reserve of more than is free gets exactly the free count; a peek of more
** than is published gets exactly the published count. */
static void test_batch_bounds(void **state)
{
    uint32_t in = 0, out = 0;
    (void)state;
    setup_ring(10);
    assert_int_equal(put(4, &in), 4);
    assert_int_equal(put(100, &in), 6);
    assert_int_equal(take(3, &out), 3);
    assert_int_equal(take(100, &out), 7);
    assert_int_equal(in, 10);
    assert_int_equal(out, 10);
}

/* A batch that would pass the end of storage is cut there; the rest follows
** from slot 0, in order. */
static void test_wrap_cut(void **state)
{
    uint32_t in = 0, out = 0, got;
    item *p;
    (void)state;
    setup_ring(8);
    assert_int_equal(put(6, &in), 6);
    assert_int_equal(take(6, &out), 6);
    p = agdf_ring_reserve(&R, 5, &got);                   /* slots 6, 7 only */
    assert_int_equal(got, 2);
    assert_ptr_equal(p, &store[6]);
    agdf_ring_publish(&R, 0);
    assert_int_equal(put(5, &in), 2);
    assert_int_equal(put(5, &in), 5);                     /* slots 0..4 */
    assert_int_equal(take(7, &out), 2);                   /* cut at the end too */
    assert_int_equal(take(7, &out), 5);
    assert_int_equal(out, 13);
}

/* Many rounds of uneven batches through a capacity that divides nothing:
** every item comes out once, in order (the counters wrap past the slots many
** times). */
static void test_fifo_many_wraps(void **state)
{
    uint32_t in = 0, out = 0, round;
    (void)state;
    setup_ring(7);
    for (round = 0; round < 10000; round++) {
        put(1 + round % 5, &in);
        take(1 + (round * 3) % 4, &out);
        assert_true(in - out <= 7);
    }
    while (take(64, &out)) {}
    assert_int_equal(out, in);
    assert_true(in > 7 * 1000);
}

/* Reserved slots are invisible until published; a partial publish shows only
** its prefix; a partial release frees only its prefix. */
static void test_publish_release_partial(void **state)
{
    uint32_t got, out = 0;
    item *p;
    const item *q;
    (void)state;
    setup_ring(4);
    p = agdf_ring_reserve(&R, 4, &got);
    assert_int_equal(got, 4);
    p[0].seq = 0; p[0].neg = ~0u;
    p[1].seq = 1; p[1].neg = ~1u;
    assert_null(agdf_ring_peek(&R, 4, &got));
    assert_int_equal(got, 0);
    agdf_ring_publish(&R, 2);
    q = agdf_ring_peek(&R, 4, &got);
    assert_int_equal(got, 2);
    assert_int_equal(q[1].seq, 1);
    agdf_ring_release(&R, 1);                             /* item 0 only */
    out = 1;
    assert_int_equal(take(4, &out), 1);
    p = agdf_ring_reserve(&R, 4, &got);                   /* slots 2, 3 */
    assert_int_equal(got, 2);
    assert_ptr_equal(p, &store[2]);
}

/* wait_* return at once when they can; close ends the stream only once the
** published items are taken; nobody slept, so no wake system call was made. */
static void test_wait_close_no_syscall(void **state)
{
    uint32_t in = 0, out = 0;
    (void)state;
    setup_ring(3);
    agdf_ring_wait_space(&R);
    put(3, &in);
    assert_int_equal(agdf_ring_wait_items(&R), 1);
    agdf_ring_close(&R);
    assert_int_equal(agdf_ring_wait_items(&R), 1);        /* closed, not drained */
    assert_int_equal(take(2, &out), 2);
    agdf_ring_wait_space(&R);
    assert_int_equal(agdf_ring_wait_items(&R), 1);
    assert_int_equal(take(2, &out), 1);
    assert_int_equal(agdf_ring_wait_items(&R), 0);        /* closed and empty */
    assert_int_equal(R.p_wakes + R.c_wakes + R.p_sleeps + R.c_sleeps, 0);
}

/* Items of an odd size land at size-spaced addresses within the storage. */
static void test_odd_item_size(void **state)
{
    static unsigned char bytes[5 * 3];
    uint32_t got, i, k;
    (void)state;
    assert_int_equal(agdf_ring_init(&R, bytes, sizeof bytes, 5, 3), 0);
    for (k = 0; k < 4; k++) {
        unsigned char *p = agdf_ring_reserve(&R, 4, &got);
        const unsigned char *q;
        assert_true(got >= 1);
        assert_true(p >= bytes && p + 3 * got <= bytes + sizeof bytes);
        for (i = 0; i < 3 * got; i++) p[i] = (unsigned char)(k + i);
        agdf_ring_publish(&R, got);
        q = agdf_ring_peek(&R, got, &i);
        assert_int_equal(i, got);
        for (i = 0; i < 3 * got; i++) assert_int_equal(q[i], (unsigned char)(k + i));
        agdf_ring_release(&R, got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_refuses),
        cmocka_unit_test(test_capacity_exact),
        cmocka_unit_test(test_batch_bounds),
        cmocka_unit_test(test_wrap_cut),
        cmocka_unit_test(test_fifo_many_wraps),
        cmocka_unit_test(test_publish_release_partial),
        cmocka_unit_test(test_wait_close_no_syscall),
        cmocka_unit_test(test_odd_item_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
