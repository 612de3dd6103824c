/*
** util.c — memory and lookup helpers shared by every phase of agdfc: an
** arena (many small allocations that all die together at the end of the
** compilation, so no phase frees anything piecemeal), a growable array (Vec)
** for lists whose final length is unknown while parsing, and a string-keyed
** hash map (StrMap) so that name lookup stays O(1) on graphs of a million
** nodes.  Allocation failure is fatal: a compiler that has run out of memory
** cannot report anything useful, so it says so and exits with status 2.
*/
#define _DEFAULT_SOURCE              /* MADV_HUGEPAGE (Linux), besides POSIX */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "agdfc.h"

#define ARENA_BLOCK_MIN (64 * 1024)        /* bytes of the first block */
#define ARENA_BLOCK_MAX (8 * 1024 * 1024)  /* blocks double up to this */
#define HUGE_ALIGN      (2 * 1024 * 1024)  /* a transparent huge page */

struct ArenaBlock {
    ArenaBlock *next;        /* older block */
    size_t used;             /* bytes handed out from data */
    size_t size;             /* bytes available in data */
    _Alignas(16) unsigned char data[];
};

void util_oom(void) {
    fputs("agdfc: out of memory\n", stderr);
    exit(2);
}

void *util_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) util_oom();
    return p;
}

void *util_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) util_oom();
    return q;
}

/* Memory for big buffers (the source text, big arena blocks and vectors):
** aligned to 2 MiB and, on Linux, marked for transparent huge pages.  A big
** input touches a lot of fresh memory once, and where page faults are
** expensive (virtual machines) one fault per 2 MiB instead of one per
** 4 KiB is most of the time spent on a 100,000-node graph.  Released with
** free(). */
void *util_big_alloc(size_t n) {
    if (n < HUGE_ALIGN) return util_xmalloc(n);
    size_t rounded = (n + HUGE_ALIGN - 1) & ~(size_t)(HUGE_ALIGN - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_ALIGN, rounded) != 0) util_oom();
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* Blocks double in size (64 KiB up to 8 MiB), so that a big compilation
** makes few of them and they can use huge pages.  A request bigger than a
** quarter block gets a block of its own, linked behind the head so the
** head's free space stays in use. */
static void *arena_new_block(Arena *a, size_t n) {
    ArenaBlock *b = a->head;
    size_t size = b ? b->size * 2 : ARENA_BLOCK_MIN;
    if (size > ARENA_BLOCK_MAX) size = ARENA_BLOCK_MAX;
    bool own = n > size / 4;
    if (own) size = n;
    ArenaBlock *nb = util_big_alloc(sizeof *nb + size);
    nb->size = size;
    nb->used = n;
    if (own && b) {
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        a->head = nb;
    }
    return memset(nb->data, 0, n);
}

void *arena_alloc(Arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    ArenaBlock *b = a->head;
    if (b) {
        size_t at = (b->used + 15) & ~(size_t)15;    /* after packed strings */
        if (at <= b->size && b->size - at >= n) {
            b->used = at + n;
            return memset(b->data + at, 0, n);
        }
    }
    return arena_new_block(a, n);
}

/* Strings need no alignment: they are packed, which matters for a graph
** with a million names. */
static char *arena_bytes(Arena *a, size_t n) {
    ArenaBlock *b = a->head;
    if (b && b->size - b->used >= n) {
        char *p = (char *)b->data + b->used;
        b->used += n;
        return p;
    }
    return arena_alloc(a, n);
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_bytes(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) {
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_bytes(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_free(Arena *a) {
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *vec_push(Vec *v, size_t elem) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        v->data = util_xrealloc(v->data, cap * elem);   /* big: mremap, no copy */
#ifdef MADV_HUGEPAGE
        if (cap * elem >= 2 * HUGE_ALIGN) {             /* see util_big_alloc */
            uintptr_t from = ((uintptr_t)v->data + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1);
            uintptr_t to = ((uintptr_t)v->data + cap * elem) & ~(uintptr_t)(HUGE_ALIGN - 1);
            if (to > from) madvise((void *)from, to - from, MADV_HUGEPAGE);
        }
#endif
        v->cap = cap;
    }
    void *slot = (char *)v->data + v->len * elem;
    v->len++;
    return memset(slot, 0, elem);
}

void vec_free(Vec *v) {
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* ---------------------------------------------------------------- StrMap */

/* FNV-1a: short identifiers, good spread, no seed needed (the input is the
** user's own file, not an adversary's). */
static uint64_t strmap_hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

void strmap_init(StrMap *m, size_t hint) {
    size_t cap = 16;
    while (cap < hint * 2) cap *= 2;
    m->keys = util_xmalloc(cap * sizeof *m->keys);
    m->vals = util_xmalloc(cap * sizeof *m->vals);
    memset(m->keys, 0, cap * sizeof *m->keys);
    m->cap = cap;
    m->len = 0;
}

static void strmap_grow(StrMap *m) {
    StrMap bigger;
    strmap_init(&bigger, m->cap);           /* twice the slots */
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) strmap_put(&bigger, m->keys[i], m->vals[i]);
    strmap_free(m);
    *m = bigger;
}

/* Returns the slot of key: its own, or the empty one where it would go. */
static size_t strmap_slot(const StrMap *m, const char *key) {
    size_t mask = m->cap - 1;
    size_t i = (size_t)strmap_hash(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & mask;
    return i;
}

bool strmap_put(StrMap *m, const char *key, int val) {
    if (!m->cap) strmap_init(m, 0);
    if ((m->len + 1) * 4 > m->cap * 3) strmap_grow(m);
    size_t i = strmap_slot(m, key);
    if (m->keys[i]) return false;
    m->keys[i] = key;
    m->vals[i] = val;
    m->len++;
    return true;
}

int strmap_get(const StrMap *m, const char *key) {
    if (!m->cap) return -1;
    size_t i = strmap_slot(m, key);
    return m->keys[i] ? m->vals[i] : -1;
}

void strmap_free(StrMap *m) {
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->len = 0;
}
