/*
** agdf_place.c — the automatic placement of a graph's tasks on threads
** (agdf_place, docs/threads.md "Placement"): a pure, deterministic function
** of the node table, the `thread` / `weight` / `spread` attributes and the
** number of threads.  Explicit nodes go where they are told; spread nodes are
** split over the least loaded threads; the other nodes are ordered along the
** edges (a depth-first Kahn order, so a chain comes out in one piece) and
** that order is cut into one contiguous run per thread, in thread order, with
** the smallest possible load on the busiest thread, each run taking as many
** nodes as that bound allows (so a light node stays with its neighbour).
** Loads are sums of weights in 64-bit fixed point (AGDF__PLACE_ONE units per
** weight): no overflow for any number of nodes of weight AGDF_WEIGHT_MAX.
** Cost: O(nodes + edges), the cut being at most 64 passes over the automatic
** nodes (a binary search on the bound).  Memory: the caller's scratch, no
** malloc.
*/
#include "agdf.h"

#include <stdint.h>

/* One weight unit in loads: a spread node adds weight * (its tasks on the
** thread) / (its tasks) to a thread, kept to 1/1024 of a weight.  nodes <
** 2^32, weight <= 10^6: every sum stays below 2^63. */
#define AGDF__PLACE_ONE 1024u
#define AGDF__PLACE_DONE UINT32_MAX   /* in indeg: the node is in the order */

/* The thread every task of a node goes to, or the ones a spread node uses. */
typedef struct agdf__place {
    const agdf_graph_def *def;   /* nodes and edges */
    const agdf_node_place *np;   /* attributes, nnodes entries */
    uint32_t nthreads;           /* threads to place on (2 .. AGDF_THREADS_MAX) */
    uint64_t load[AGDF_THREADS_MAX]; /* weight placed on each thread so far, fixed point */
    uint32_t *indeg;             /* nnodes: Kahn's in-degrees, then each node's thread */
    uint32_t *stack;             /* nnodes: ready nodes, most recently freed on top */
    uint32_t *order;             /* nnodes: the automatic nodes in topological order */
    uint32_t norder;             /* entries of order */
} agdf__place;

/* The node's attributes make sense for any number of threads: a weight in
** range, `spread` only without `thread`, `thread` -1 or a thread index. */
static int place_valid(const agdf_node_place *p)
{
    if (p->weight < 1 || p->weight > AGDF_WEIGHT_MAX) return 0;
    if (p->thread < -1) return 0;
    return !(p->spread && p->thread >= 0);
}

static int place_auto(const agdf_node_place *p)
{
    return p->thread < 0 && !p->spread;
}

/* Rule 3: node i's tasks split over the k = min(ntasks, nthreads) least
** loaded threads (ties: lowest index), taken in thread order; rank r gets the
** r-th contiguous range, the first ntasks % k ranks one task more. */
static void place_spread(agdf__place *P, uint32_t i, uint32_t *task_thread)
{
    uint32_t ntasks = P->def->nodes[i].ntasks;
    uint64_t weight = (uint64_t)P->np[i].weight * AGDF__PLACE_ONE;
    uint32_t k = ntasks < P->nthreads ? ntasks : P->nthreads;
    unsigned char chosen[AGDF_THREADS_MAX] = {0};
    uint32_t j, t, r, q, rem, next = 0;
    if (k == 0) return;
    for (j = 0; j < k; j++) {   /* k <= 64 passes over <= 64 threads */
        uint32_t best = UINT32_MAX;
        for (t = 0; t < P->nthreads; t++)
            if (!chosen[t] && (best == UINT32_MAX || P->load[t] < P->load[best])) best = t;
        chosen[best] = 1;
    }
    q = ntasks / k;
    rem = ntasks % k;
    for (t = 0, r = 0; t < P->nthreads; t++) {
        uint32_t n, x;
        if (!chosen[t]) continue;
        n = q + (r < rem);
        for (x = 0; x < n; x++) task_thread[next++] = t;
        P->load[t] += weight * n / ntasks;
        r++;
    }
}

/* Rule 4's order: Kahn's algorithm over every node and edge, the ready nodes
** kept on a stack so the destinations a node frees come next (in edge order)
** and a chain is ordered in one piece; the first sources and, when only
** cycles are left, the node that breaks one are the lowest-declared ready or
** remaining node.  Only automatic nodes enter P->order. */
static void place_order(agdf__place *P)
{
    const agdf_graph_def *def = P->def;
    uint32_t n = def->nnodes, i, e, top = 0, scan = 0, done = 0;
    for (i = 0; i < n; i++) P->indeg[i] = 0;
    for (i = 0; i < n; i++)
        for (e = 0; e < def->nodes[i].ndst; e++) P->indeg[def->nodes[i].dst[e]]++;
    for (i = n; i-- > 0;)
        if (P->indeg[i] == 0) P->stack[top++] = i;
    P->norder = 0;
    while (done < n) {
        uint32_t v;
        if (top == 0) {   /* only cycles left: break the lowest-declared one */
            while (P->indeg[scan] == AGDF__PLACE_DONE) scan++;
            P->stack[top++] = scan;
        }
        v = P->stack[--top];
        P->indeg[v] = AGDF__PLACE_DONE;
        done++;
        if (place_auto(&P->np[v])) P->order[P->norder++] = v;
        for (e = def->nodes[v].ndst; e-- > 0;) {
            uint32_t d = def->nodes[v].dst[e];
            if (P->indeg[d] != AGDF__PLACE_DONE && --P->indeg[d] == 0) P->stack[top++] = d;
        }
    }
}

/* Cuts P->order into runs, thread 0 first, each run as long as the bound
** allows (a thread's load, placed plus run, <= bound).  Records each node's
** thread in P->indeg when `record`.  1 if every automatic node fits. */
static int place_fill(agdf__place *P, uint64_t bound, int record)
{
    uint32_t t, x = 0;
    for (t = 0; t < P->nthreads && x < P->norder; t++) {
        uint64_t load = P->load[t];
        while (x < P->norder) {
            uint32_t v = P->order[x];
            uint64_t w = (uint64_t)P->np[v].weight * AGDF__PLACE_ONE;
            if (load > bound || w > bound - load) break;
            load += w;
            if (record) P->indeg[v] = t;
            x++;
        }
    }
    return x == P->norder;
}

/* Rule 4's cut: the smallest bound on the busiest thread's load that the
** order can be cut under (binary search: the fill is monotone in the
** bound), then the cut at that bound. */
static void place_cut(agdf__place *P)
{
    uint64_t lo = 0, hi, total = 0;
    uint32_t t, x;
    for (t = 0; t < P->nthreads; t++)
        if (P->load[t] > lo) lo = P->load[t];
    for (x = 0; x < P->norder; x++) total += (uint64_t)P->np[P->order[x]].weight * AGDF__PLACE_ONE;
    hi = P->load[0] + total > lo ? P->load[0] + total : lo;   /* all on thread 0 fits */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (place_fill(P, mid, 0)) hi = mid;
        else lo = mid + 1;
    }
    place_fill(P, lo, 1);
}

int agdf_place(const agdf_graph_def *def, const agdf_node_place *place, uint32_t nthreads,
               uint32_t *task_thread, uint32_t *scratch, uint32_t *bad)
{
    agdf__place P;
    uint32_t i, t, x, first;
    *bad = UINT32_MAX;
    if (nthreads == 0 || nthreads > AGDF_THREADS_MAX) return -1;
    for (i = 0; i < def->nnodes; i++) {
        const agdf_node_def *nd = &def->nodes[i];
        *bad = i;
        if (!place_valid(&place[i])) return -1;
        if (place[i].thread >= 0 && (uint32_t)place[i].thread >= nthreads) return -1;
        for (x = 0; x < nd->ndst; x++)
            if (nd->dst[x] >= def->nnodes) return -1;
    }
    *bad = UINT32_MAX;
    if (nthreads == 1) {   /* rule 1 */
        for (i = 0, first = 0; i < def->nnodes; first += def->nodes[i++].ntasks)
            for (x = 0; x < def->nodes[i].ntasks; x++) task_thread[first + x] = 0;
        return 0;
    }
    P.def = def;
    P.np = place;
    P.nthreads = nthreads;
    P.indeg = scratch;
    P.stack = scratch + def->nnodes;
    P.order = scratch + 2 * (size_t)def->nnodes;
    for (t = 0; t < AGDF_THREADS_MAX; t++) P.load[t] = 0;
    for (i = 0; i < def->nnodes; i++)   /* rule 2 */
        if (place[i].thread >= 0) P.load[place[i].thread] += (uint64_t)place[i].weight * AGDF__PLACE_ONE;
    for (i = 0, first = 0; i < def->nnodes; first += def->nodes[i++].ntasks)   /* rule 3 */
        if (place[i].spread) place_spread(&P, i, task_thread + first);
    place_order(&P);   /* rule 4 */
    place_cut(&P);
    for (i = 0, first = 0; i < def->nnodes; first += def->nodes[i++].ntasks) {
        if (place[i].spread) continue;
        t = place[i].thread >= 0 ? (uint32_t)place[i].thread : P.indeg[i];
        for (x = 0; x < def->nodes[i].ntasks; x++) task_thread[first + x] = t;
    }
    return 0;
}
