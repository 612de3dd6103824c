#!/usr/bin/env python3
"""An independent model of agdf's scheduler, for differential testing.

It reads a .agdf graph in the style of tests/conformance/case_NN.agdf (and of
tests/model/gen.py), simulates it under the six rules of docs/language.md §10 ("Scheduling,
precisely"), and prints what the reference library would print: the stdout
lines, then one line per node `NAME IN OUT ERR` (the .stats format); the exit status
is 1 when some node raised, 0 otherwise.  It is written from the rules, not from
runtime/agdf.c, and stays deliberately literal:

  1. start items are queued first (default start nodes in declaration order), then
     every task is ready, in node declaration order, then task index;
  2. the first ready task runs until it must wait; a take from a non-empty queue and a
     put into a non-full queue never wait, whoever else is waiting;
  3. a task that finds its queue empty (a destination full) joins the back of that
     queue's line of waiting takers (putters) and stops;
  4. each put wakes the first waiting taker, each take the first waiting putter: the
     woken task leaves the line, goes to the back of the ready queue, and re-checks
     when it runs, rejoining the back of the line if another task got there first;
  5. a yield counts `out` and every destination's `in` first, then puts the item into
     each destination in edge order, waiting at any that is full;
  6. AGDF_PASS() puts the task at the back of the ready queue.
A raise ends the invocation and counts `err` (these graphs never halt).

Tasks are Python generators: a task's code applies the rules itself and `yield`s
exactly when it stops; the scheduler resumes the first ready task.

`--asyncio` runs the same graph on real Python asyncio instead (asyncio.Queue, async
generators, tasks created in declaration order), a second opinion close to the
reference library itself for judging disagreements.

    model.py GRAPH.agdf [--asyncio]
"""
import re
import sys
from collections import deque

NODE_RE = re.compile(r"^node (n\d+)\(([^)]*)\) -> int \[max_tasks = (\d+), queue_size = (\d+)\]")
EDGE_RE = re.compile(r"^(n\d+) -> (n\d+);")
PASS_COND_RE = re.compile(r"self->j == (\d+)")


class Node:
    def __init__(self, name, param, max_tasks, queue_size):
        self.name, self.param = name, param
        self.max_tasks, self.queue_size = max_tasks, queue_size
        self.pre_pass = False       # AGDF_PASS() right after the printf
        self.count = 0              # yields per invocation (the state loop's bound)
        self.pass_at = set()        # loop indexes j with an AGDF_PASS() before the yield
        self.offset = 0             # the "+ 7*I" in the yielded value
        self.raise_mod = None       # `if (v % M == 0) AGDF_RAISE` (after each yield in a loop)
        self.dests = []
        self.stat_in = self.stat_out = self.stat_err = 0

    def value(self, v, j):
        return ((v + 1000) * 31 + self.offset + j) % 1000


def parse(text):
    """The graph of a .agdf in the conformance style: list of Node, edges applied."""
    nodes, by_name, cur = [], {}, None
    for raw in text.splitlines():
        line = raw.strip()
        m = NODE_RE.match(line)
        if m:
            cur = Node(m.group(1), bool(m.group(2).strip()), int(m.group(3)), int(m.group(4)))
            nodes.append(cur)
            by_name[cur.name] = cur
            continue
        m = EDGE_RE.match(line)
        if m:
            by_name[m.group(1)].dests.append(by_name[m.group(2)])
            cur = None
            continue
        if cur is None:
            continue
        if line == "AGDF_PASS();":
            cur.pre_pass = True
        elif line.startswith("for (self->j = 0; self->j < "):
            cur.count = int(re.search(r"self->j < (\d+)", line).group(1))
        elif line.startswith("if (") and line.endswith("AGDF_PASS();"):
            cur.pass_at = {int(x) for x in PASS_COND_RE.findall(line)}
        elif line.startswith("AGDF_YIELD("):
            cur.offset = int(re.search(r"\* 31 \+ (\d+) \+", line).group(1))
        elif "AGDF_RAISE" in line:
            cur.raise_mod = int(re.search(r"v % (\d+) == 0", line).group(1))
        elif line.startswith(("printf(", "state {", "}", "%", "#", "//")) or not line:
            pass
        else:
            raise ValueError(f"unexpected line in node {cur.name}: {line!r}")
    return nodes


class Model:
    """The six rules, literally."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.items = {n.name: deque() for n in nodes}
        self.takers = {n.name: deque() for n in nodes}    # waiting consumers, FIFO
        self.putters = {n.name: deque() for n in nodes}   # waiting producers, FIFO
        self.ready = deque()
        self.out = []

    def wake_first(self, line):
        if line:
            self.ready.append(line.popleft())

    def task(self, node, holder):
        """One task of `node`: take an item, run the body, forever.  Yields to stop.
        `holder[0]` is the task's own generator (what goes into lines and the ready queue)."""
        me = holder[0]
        q = self.items[node.name]
        while True:
            while not q:                                   # rules 3 and 4
                self.takers[node.name].append(me)
                yield
            v = q.popleft()
            self.wake_first(self.putters[node.name])       # rule 4
            yield from self.invocation(node, me, v)

    def invocation(self, node, me, v):
        shown = v if node.param else -1
        self.out.append(f"{node.name} got {shown}")
        if node.pre_pass:
            self.ready.append(me)                          # rule 6
            yield
        for j in range(node.count):
            if j in node.pass_at:
                self.ready.append(me)
                yield
            item = node.value(shown, j)
            node.stat_out += 1                             # rule 5: counts first
            for d in node.dests:
                d.stat_in += 1
            for d in node.dests:                           # then puts, in edge order
                dq = self.items[d.name]
                while len(dq) >= d.queue_size:
                    self.putters[d.name].append(me)
                    yield
                dq.append(item)
                self.wake_first(self.takers[d.name])
            if node.raise_mod and v % node.raise_mod == 0:
                node.stat_err += 1
                return
        if node.count == 0 and node.raise_mod and v % node.raise_mod == 0:
            node.stat_err += 1

    def run(self):
        has_in = {d.name for n in self.nodes for d in n.dests}
        for n in self.nodes:                               # rule 1: start items first
            if n.name not in has_in:
                self.items[n.name].append(None)
        for n in self.nodes:                               # then every task, ready
            for _ in range(n.max_tasks):
                holder = []
                g = self.task(n, holder)
                holder.append(g)
                self.ready.append(g)
        steps = 0
        while self.ready:                                  # rule 2
            g = self.ready.popleft()
            next(g)
            steps += 1
            if steps > 10_000_000:
                raise RuntimeError("model does not terminate")
        left = {k: len(v) for k, v in self.items.items() if v}
        if left or any(self.putters.values()):
            raise RuntimeError(f"model ended with items queued or putters waiting: {left}")
        return self.out


def run_asyncio(nodes):
    """The same graph on real asyncio, shaped like the reference library's executor."""
    import asyncio
    out = []
    has_in = {d.name for n in nodes for d in n.dests}

    def body(node):
        async def gen(v=None):
            shown = v if node.param else -1
            out.append(f"{node.name} got {shown}")
            if node.pre_pass:
                await asyncio.sleep(0)
            for j in range(node.count):
                if j in node.pass_at:
                    await asyncio.sleep(0)
                yield node.value(shown, j)
                if node.raise_mod and v % node.raise_mod == 0:
                    raise RuntimeError(f"bad {v}")
            if node.count == 0 and node.raise_mod and v % node.raise_mod == 0:
                raise RuntimeError(f"bad {v}")
        return gen

    async def worker(node, q, qs):
        fn = body(node)
        while True:
            args = await q.get()
            try:
                async for item in fn(*args):
                    node.stat_out += 1
                    for d in node.dests:
                        d.stat_in += 1
                    for d in node.dests:
                        await qs[d.name].put((item,))
            except RuntimeError:
                node.stat_err += 1
            q.task_done()

    async def main():
        qs = {n.name: asyncio.Queue(maxsize=n.queue_size) for n in nodes}
        for n in nodes:
            if n.name not in has_in:
                qs[n.name].put_nowait(())
        tasks = [asyncio.create_task(worker(n, qs[n.name], qs))
                 for n in nodes for _ in range(n.max_tasks)]
        for n in nodes:                                    # declaration order is topological
            await qs[n.name].join()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit("usage: model.py GRAPH.agdf [--asyncio]")
    with open(args[0]) as f:
        nodes = parse(f.read())
    lines = run_asyncio(nodes) if "--asyncio" in sys.argv else Model(nodes).run()
    for line in lines:
        print(line)
    for n in nodes:
        print(f"{n.name} {n.stat_in} {n.stat_out} {n.stat_err}", file=sys.stderr)
    sys.exit(1 if any(n.stat_err for n in nodes) else 0)


if __name__ == "__main__":
    main()
