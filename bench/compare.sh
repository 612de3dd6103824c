#!/usr/bin/env bash
# bench/compare.sh — the before/after report of two benchmark runs: reads two
# results files of bench/run.sh and prints Markdown: the two runs (commit, date,
# load average at start and end, settings), then for every case present in
# both, instructions per item per edge before -> after and its change (the
# stable figure, first), the median ns, the ratios to the fused loop and to Go
# measured in the same run on each side, and the graph's static bytes; then the
# compile-side and memory figures; then the targets of issue 12 judged on the
# after side (bench/targets12.sh, the chains' instruction counts against the
# before side) with met / MISSED and the list of the missed ones.  The output
# depends only on the two files (same inputs, same bytes).
#
#   compare.sh BEFORE.tsv AFTER.tsv
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BEFORE.tsv AFTER.tsv" >&2; exit 2; }
for f in "$@"; do
    [ -f "$f" ] || { echo "$f: not found" >&2; exit 1; }
    [ "$(head -n 1 "$f")" = "$(printf 'section\tcase\tmetric\tvalue\tunit')" ] ||
        { echo "$f: not a results file of bench/run.sh (bad header)" >&2; exit 1; }
done
targets=$(bash "$(dirname "$0")/targets12.sh" "$2" "$1")

printf '%s\n' "$targets" | awk -F'\t' '
FNR == 1 { file++ }
file == 1 && FNR > 1 { b[$1, $2, $3] = $4 }
file == 2 && FNR > 1 {
    a[$1, $2, $3] = $4
    if ($1 == "bench" && !(($2) in seen)) { seen[$2] = 1; order[++n] = $2 }
}
file == 3 {
    if (!(($2) in tseen)) { tseen[$2] = 1; torder[++nt] = $2 }
    t[$2, $3] = $4
}
function bv(s, c, m) { return ((s, c, m) in b) ? b[s, c, m] : "-" }
function av(s, c, m) { return ((s, c, m) in a) ? a[s, c, m] : "-" }
function arrow(s, c, m) { return bv(s, c, m) " → " av(s, c, m) }
function change(s, c, m,    x, y) {
    x = bv(s, c, m); y = av(s, c, m)
    if (x == "-" || y == "-" || x + 0 == 0) return "-"
    return sprintf("%+.1f %%", (y / x - 1) * 100)
}
END {
    print "#### The two runs"
    print ""
    print "| | before | after |"
    print "| --- | --- | --- |"
    print "| commit (last runtime/compiler change) | " bv("machine", "host", "commit") " (" bv("machine", "host", "code_commit") ") | " \
        av("machine", "host", "commit") " (" av("machine", "host", "code_commit") ") |"
    print "| date | " bv("machine", "host", "date") " | " av("machine", "host", "date") " |"
    print "| load average (1/5/15 min) at start | " bv("machine", "host", "loadavg_start") " | " av("machine", "host", "loadavg_start") " |"
    print "| load average (1/5/15 min) at end | " bv("machine", "host", "loadavg_end") " | " av("machine", "host", "loadavg_end") " |"
    print "| N / runs / callgrind N1 / Go N | " bv("config", "suite", "n") " / " bv("config", "suite", "runs") " / " \
        bv("config", "suite", "callgrind_n") " / " bv("config", "suite", "go_n") " | " \
        av("config", "suite", "n") " / " av("config", "suite", "runs") " / " \
        av("config", "suite", "callgrind_n") " / " av("config", "suite", "go_n") " |"
    print ""
    print "#### Per item per edge, before → after"
    print ""
    print "| case | instructions | change | ns (median) | × fused | × Go | graph bytes |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) {
        c = order[i]
        if (!(("bench", c, "group") in b)) { only_after = only_after " " c; continue }
        print "| " c " | " arrow("bench", c, "instr") " | " change("bench", c, "instr") " | " \
            arrow("bench", c, "ns_median") " | " arrow("bench", c, "vs_fused") " | " \
            arrow("bench", c, "vs_go") " | " arrow("memory", c, "graph_bytes") " |"
    }
    for (k in b) {
        split(k, p, SUBSEP)
        if (p[1] == "bench" && p[3] == "group" && !(("bench", p[2], "group") in a)) only_before[p[2]] = 1
    }
    m = 0
    for (c in only_before) ob[++m] = c
    for (i = 2; i <= m; i++) { x = ob[i]; for (j = i - 1; j >= 1 && ob[j] > x; j--) ob[j + 1] = ob[j]; ob[j + 1] = x }
    s = ""
    for (i = 1; i <= m; i++) s = s " " ob[i]
    if (s != "" || only_after != "") print ""
    if (s != "") print "Only in the before run:" s "."
    if (only_after != "") print "Only in the after run:" only_after "."
    print ""
    print "#### Compile side and memory, before → after"
    print ""
    print "| figure | before → after | change |"
    print "| --- | ---: | ---: |"
    # the agdfc program (agdfc_BIG_nodes): the smallest name of the after side,
    # else of the before side, so the choice does not depend on hash order
    for (k in a) { split(k, p, SUBSEP); if (p[1] == "compile" && p[2] ~ /^agdfc_/ && p[3] == "cpu" && (big == "" || p[2] < big)) big = p[2] }
    for (k in b) { split(k, p, SUBSEP); if (p[1] == "compile" && p[2] ~ /^agdfc_/ && p[3] == "cpu" && (bigb == "" || p[2] < bigb)) bigb = p[2] }
    if (big == "") big = bigb
    if (big != "")
        print "| " big " (CPU, s) | " arrow("compile", big, "cpu") " | " change("compile", big, "cpu") " |"
    print "| gcc -O2, 1,000 nodes (CPU: user + sys, s) | " arrow("compile", "gcc_O2_1000_nodes", "cpu") " | " change("compile", "gcc_O2_1000_nodes", "cpu") " |"
    print "| gcc -O2, 1,000 nodes (wall, s) | " arrow("compile", "gcc_O2_1000_nodes", "wall") " | " change("compile", "gcc_O2_1000_nodes", "wall") " |"
    print "| generated C of 1,000 nodes (lines) | " arrow("compile", "gcc_O2_1000_nodes", "c_lines") " | " change("compile", "gcc_O2_1000_nodes", "c_lines") " |"
    print "| runtime .text -Os, no offload (B) | " arrow("size", "runtime_no_offload", "text") " | " change("size", "runtime_no_offload", "text") " |"
    print "| int node, default attributes (B) | " arrow("memory", "int_node_default", "bytes") " | " change("memory", "int_node_default", "bytes") " |"
    print "| agdf_task / agdf_node records (B) | " bv("memory", "agdf_task", "bytes") " / " bv("memory", "agdf_node", "bytes") " → " \
        av("memory", "agdf_task", "bytes") " / " av("memory", "agdf_node", "bytes") " | |"
    print ""
    print "#### Targets (issue 12), after side"
    print ""
    print "| target | limit | after | status |"
    print "| --- | ---: | ---: | ---: |"
    missed = ""
    for (i = 1; i <= nt; i++) {
        k = torder[i]; st = t[k, "status"]
        print "| " t[k, "description"] " | " t[k, "limit"] " | " t[k, "value"] " | " (st == "MISSED" ? "**MISSED**" : st) " |"
        if (st == "MISSED") missed = missed (missed == "" ? "" : "; ") t[k, "description"]
    }
    print ""
    print "Missed: " (missed == "" ? "none." : missed ".")
}' "$1" "$2" -
