#!/usr/bin/env python3
# scripts/trace_svg.py — draws a trace written by --trace=FILE (Chrome
# trace-event JSON, docs/tracing.md) as an SVG picture of what Perfetto shows:
# one row per track (each task, then each offload worker) with its slices
# coloured by node, raises as red marks, a halt as a red line across the rows,
# and under them each queue's depth counter as a step line.  `make
# trace-picture` runs it on a real trace of tests/trace/pipe.agdf and converts
# the SVG to docs/tracing.png with rsvg-convert (Debian: librsvg2-bin).
#
# usage: trace_svg.py TRACE.json OUT.svg [TITLE]
import json
import sys
from xml.sax.saxutils import escape

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"]
W, LABEL, ROW, CROW, TOP = 1000, 150, 24, 46, 46


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        events = json.load(f)["traceEvents"]
    title = argv[3] if len(argv) > 3 else "trace"
    names, sort = {}, {}
    for e in events:
        if e["ph"] == "M" and e["name"] == "thread_name":
            names[e["tid"]] = e["args"]["name"]
        if e["ph"] == "M" and e["name"] == "thread_sort_index":
            sort[e["tid"]] = e["args"]["sort_index"]
    tracks = sorted(names, key=lambda t: (sort.get(t, t), t))
    row_of = {t: i for i, t in enumerate(tracks)}
    slices = [e for e in events if e["ph"] == "X"]
    instants = [e for e in events if e["ph"] == "i"]
    counters = {}
    for e in events:
        if e["ph"] == "C":
            counters.setdefault(e["name"], []).append((e["ts"], e["args"]["queue"]))
    t0 = min([e["ts"] for e in slices + instants] + [c[0][0] for c in counters.values()])
    t1 = max([e["ts"] + e.get("dur", 0) for e in slices + instants] +
             [c[-1][0] for c in counters.values()])
    span = max(t1 - t0, 1e-3)
    plot = W - LABEL - 20

    def x(ts):
        return LABEL + (ts - t0) / span * plot

    colour = {}
    for e in slices:
        colour.setdefault(e["name"], PALETTE[len(colour) % len(PALETTE)])

    ctop = TOP + len(tracks) * ROW + 18
    height = ctop + len(counters) * CROW + 40
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="12">',
           f'<rect width="{W}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<text x="{W - 10}" y="22" text-anchor="end" fill="#555">'
           f'{len(slices)} slices, {len(tracks)} tracks, {len(counters)} queue counters</text>']
    for i, t in enumerate(tracks):
        y = TOP + i * ROW
        if i % 2 == 0:
            svg.append(f'<rect x="0" y="{y}" width="{W}" height="{ROW}" fill="#f4f4f4"/>')
        svg.append(f'<text x="10" y="{y + ROW - 8}">{escape(names[t])}</text>')
    for e in slices:
        if e["tid"] not in row_of:
            continue
        y = TOP + row_of[e["tid"]] * ROW + 3
        w = max(x(e["ts"] + e["dur"]) - x(e["ts"]), 1.0)
        tip = f'{e["name"]} {e["dur"]:.3f} us'
        svg.append(f'<rect x="{x(e["ts"]):.2f}" y="{y}" width="{w:.2f}" height="{ROW - 6}" '
                   f'fill="{colour[e["name"]]}" stroke="#333" stroke-width="0.3">'
                   f'<title>{escape(tip)}</title></rect>')
    for e in instants:
        px = x(e["ts"])
        if e["name"] == "halt":
            svg.append(f'<line x1="{px:.2f}" y1="{TOP}" x2="{px:.2f}" y2="{ctop - 10}" '
                       f'stroke="#d62728" stroke-width="2" stroke-dasharray="5,3"/>')
            svg.append(f'<text x="{px + 4:.2f}" y="{TOP - 4}" fill="#d62728">halt</text>')
        elif e["tid"] in row_of:
            y = TOP + row_of[e["tid"]] * ROW
            msg = e.get("args", {}).get("message", e["name"])
            svg.append(f'<path d="M{px - 6:.2f},{y + 2} L{px + 6:.2f},{y + 2} L{px:.2f},{y + 13} Z" '
                       f'fill="#d62728"><title>{escape(msg)}</title></path>')
            svg.append(f'<text x="{px + 8:.2f}" y="{y + 13}" fill="#d62728" font-size="11">'
                       f'raise: {escape(msg.splitlines()[0] if msg else "")}</text>')
    for i, (name, pts) in enumerate(counters.items()):   # node order
        y = ctop + i * CROW
        top = max(max(v for _, v in pts), 1)
        svg.append(f'<text x="10" y="{y + CROW / 2 + 4}">{escape(name)} queue</text>')
        svg.append(f'<text x="{LABEL - 8}" y="{y + 12}" text-anchor="end" fill="#777" '
                   f'font-size="10">{top}</text>')
        svg.append(f'<line x1="{LABEL}" y1="{y + CROW - 6}" x2="{W - 20}" y2="{y + CROW - 6}" '
                   f'stroke="#ccc"/>')

        def cy(v):
            return y + CROW - 6 - v / top * (CROW - 14)
        d = f'M{x(pts[0][0]):.2f},{cy(pts[0][1]):.2f}'
        for tb, b in pts[1:]:
            d += f' H{x(tb):.2f} V{cy(b):.2f}'
        d += f' H{x(t1):.2f}'
        svg.append(f'<path d="{d}" fill="none" stroke="{colour.get(name, "#333")}" '
                   f'stroke-width="1.5"/>')
    ay = height - 22
    svg.append(f'<line x1="{LABEL}" y1="{ay}" x2="{W - 20}" y2="{ay}" stroke="#333"/>')
    step = nice_step(span / 8)
    k = 0
    while k * step <= span:
        px = x(t0 + k * step)
        svg.append(f'<line x1="{px:.2f}" y1="{ay}" x2="{px:.2f}" y2="{ay + 5}" stroke="#333"/>')
        svg.append(f'<text x="{px:.2f}" y="{ay + 17}" text-anchor="middle" font-size="11">'
                   f'{fmt_us(k * step)}</text>')
        k += 1
    svg.append("</svg>")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")
    return 0


def nice_step(raw):
    """1, 2 or 5 times a power of ten, at least raw (microseconds)."""
    p = 1e-3
    while p * 10 <= raw:
        p *= 10
    for m in (1, 2, 5, 10):
        if p * m >= raw:
            return p * m
    return p * 10


def fmt_us(us):
    return f"{us / 1000:g} ms" if us >= 1000 else f"{us:g} us"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
