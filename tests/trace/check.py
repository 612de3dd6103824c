#!/usr/bin/env python3
# tests/trace/check.py — validates a trace written by a generated program's
# --trace=FILE against the Chrome trace-event format and against the run's own
# --stats report: the file is JSON with "traceEvents" and "displayTimeUnit";
# exactly one track (tid with a thread_name "node[k]") per task; slices only on
# named tracks, each track's slices non-overlapping; one queue counter per node,
# the last one 0 (the run drained or a halt discarded); per node, the slices'
# "out" add up to the out statistic and the raise instants number the err
# statistic; offload slices sit on "offload worker[k]" tracks.  Further
# expectations come as options.  Prints nothing and exits 0 when the trace is
# good, else one line per problem and exit 1.
#
# usage: check.py TRACE STATS_STDERR --tasks=src=1,work=3 [--offloads=N]
#        [--halts=N] [--message=TEXT] [--min-slices=NODE=N]
import json
import re
import sys


def ns(v):
    """A microsecond value with three decimals as integer ns (exact)."""
    return round(v * 1000)


def main(argv):
    trace, stats_file = argv[1], argv[2]
    opts = dict(a[2:].split("=", 1) for a in argv[3:])
    problems = []

    def bad(msg):
        problems.append(msg)

    try:
        with open(trace, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"not valid JSON: {e}")
        return 1
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        print("no traceEvents list")
        return 1
    if doc.get("displayTimeUnit") not in ("ms", "ns"):
        bad("displayTimeUnit missing or not ms/ns")
    events = doc["traceEvents"]

    stats = {}
    with open(stats_file, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"INFO:agdf: (\w+) - in=(\d+), out=(\d+), err=(\d+)", line)
            if m:
                stats[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4))
    tasks = dict((k, int(v)) for k, v in (p.split("=") for p in opts["tasks"].split(",")))
    if set(stats) != set(tasks):
        bad(f"--stats names {sorted(stats)}, expected {sorted(tasks)}")

    for i, e in enumerate(events):
        for key in ("ph", "name", "pid"):
            if key not in e:
                bad(f"event {i} has no {key}: {e}")
        if e.get("ph") in ("X", "i", "C") and not isinstance(e.get("ts"), (int, float)):
            bad(f"event {i} has no numeric ts: {e}")
        if e.get("ph") == "X" and not (isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0):
            bad(f"slice {i} has no dur >= 0: {e}")
    if problems:
        print("\n".join(problems))
        return 1

    names = {}                                    # tid -> track name
    for e in events:
        if e["ph"] == "M" and e["name"] == "thread_name":
            if e["tid"] in names:
                bad(f"tid {e['tid']} named twice")
            names[e["tid"]] = e["args"]["name"]
    task_tracks = {n: t for t, n in names.items() if not n.startswith("offload worker[")}
    want = {f"{node}[{k}]" for node, n in tasks.items() for k in range(n)}
    if set(task_tracks) != want:
        bad(f"task tracks {sorted(task_tracks)}, expected {sorted(want)}")

    slices = {}                                   # tid -> [(start, end)]
    out_sum = dict.fromkeys(tasks, 0)
    nslices = dict.fromkeys(tasks, 0)
    noffload = 0
    for e in (e for e in events if e["ph"] == "X"):
        track = names.get(e["tid"])
        if track is None:
            bad(f"slice on an unnamed track: {e}")
            continue
        slices.setdefault(e["tid"], []).append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"])))
        if e.get("cat") == "offload":
            noffload += 1
            if not track.startswith("offload worker["):
                bad(f"offload slice on task track {track}")
            continue
        if track.split("[")[0] != e["name"]:
            bad(f"slice {e['name']} on the track of {track}")
        nslices[e["name"]] += 1
        out_sum[e["name"]] += e["args"]["out"]
    for tid, ss in slices.items():
        ss.sort()
        for a, b in zip(ss, ss[1:]):
            if a[1] > b[0]:
                bad(f"track {names[tid]}: slices overlap: {a} {b}")
    for node, (_, out, err) in stats.items():
        if out_sum.get(node) != out:
            bad(f"{node}: slices yield {out_sum.get(node)} items, --stats says out={out}")
        raises = [e for e in events if e["ph"] == "i" and e["name"] == "raise"
                  and names.get(e["tid"], "").split("[")[0] == node]
        if len(raises) != err:
            bad(f"{node}: {len(raises)} raise instants, --stats says err={err}")
    for spec in filter(None, opts.get("min-slices", "").split(",")):
        node, n = spec.split("=")
        if nslices.get(node, 0) < int(n):
            bad(f"{node}: {nslices.get(node, 0)} slices, expected at least {n}")
    if "offloads" in opts and noffload != int(opts["offloads"]):
        bad(f"{noffload} offload slices, expected {opts['offloads']}")
    if "message" in opts:
        msgs = [e["args"]["message"] for e in events if e["ph"] == "i" and e["name"] == "raise"]
        want_msg = opts["message"].encode().decode("unicode_escape")
        if msgs and any(m != want_msg for m in msgs):
            bad(f"raise messages {msgs!r}, expected {want_msg!r}")
    halts = [e for e in events if e["ph"] == "i" and e["name"] == "halt"]
    if len(halts) != int(opts.get("halts", "0")):
        bad(f"{len(halts)} halt instants, expected {opts.get('halts', '0')}")

    last = {}
    for e in (e for e in events if e["ph"] == "C"):
        last[e["name"]] = e["args"]["queue"]
    if set(last) != set(tasks):
        bad(f"queue counters {sorted(last)}, expected one per node {sorted(tasks)}")
    for node, depth in last.items():
        if depth != 0:
            bad(f"queue {node}: last depth {depth}, expected 0 at the end")

    if problems:
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
