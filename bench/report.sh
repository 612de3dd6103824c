#!/usr/bin/env bash
# bench/report.sh — turns build/bench/results.tsv (written by bench/run.sh; one
# figure per line: section, case, metric, value, unit) into the tables people
# read: throughput per case (ns per item per edge as median [min..max], ratio
# to the fused loop of the same shape and to Go's same shape, instructions per
# item per edge, static memory), the compile-side figures, and the targets of
# issue 5 and of issue 12 (two tables) with met or MISSED.  Plain text by default, Markdown with --markdown, and --update-docs
# rewrites the part of a Markdown file between the lines
# "<!-- bench:begin -->" and "<!-- bench:end -->" with the Markdown tables.
#
#   report.sh [--markdown] [results.tsv]
#   report.sh --update-docs results.tsv docs/performance.md
set -euo pipefail

md=0
if [ "${1:-}" = --update-docs ]; then
    [ $# -eq 3 ] || { echo "usage: $0 --update-docs results.tsv FILE.md" >&2; exit 2; }
    doc=$3
    grep -q '^<!-- bench:begin -->$' "$doc" && grep -q '^<!-- bench:end -->$' "$doc" ||
        { echo "$doc: no bench markers" >&2; exit 1; }
    tables=$(mktemp)
    trap 'rm -f "$tables"' EXIT
    bash "$0" --markdown "$2" > "$tables"
    awk -v t="$tables" '
        /^<!-- bench:begin -->$/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
        /^<!-- bench:end -->$/ { skip = 0 }
        !skip { print }' "$doc" > "$doc.new"
    mv "$doc.new" "$doc"
    exit 0
fi
if [ "${1:-}" = --markdown ]; then md=1; shift; fi
tsv=${1:-build/bench/results.tsv}
[ -f "$tsv" ] || { echo "$tsv: not found (run bench/run.sh)" >&2; exit 1; }

awk -F'\t' -v md="$md" '
function row(a, b, c, d, e, f, g, h, k,    i, n, x) {
    n = split(a "\t" b "\t" c "\t" d "\t" e "\t" f "\t" g "\t" h "\t" k, x, "\t")
    while (n > 0 && x[n] == "") n--
    if (md) {
        s = "|"
        for (i = 1; i <= n; i++) s = s " " x[i] " |"
        print s
    } else {
        s = ""
        for (i = 1; i <= n; i++) s = s (i == 1 ? sprintf("%-" w1 "s", x[i]) : sprintf(" %12s", x[i]))
        print s
    }
}
function sep(n,    i, s) {
    if (md) { s = "|"; for (i = 0; i < n; i++) s = s (i ? " ---: |" : " --- |"); print s }
}
function title(t, w) { print ""; print (md ? "#### " t : "== " t); print ""; w1 = w }
function v(c, m) { return ((c, m) in val) ? val[c, m] : "-" }
NR == 1 { next }
{
    if ($1 == "bench" && !(($2) in seen)) { seen[$2] = 1; order[++ncase] = $2 }
    if ($1 == "config") cfg[$3] = $4
    if ($1 == "compile" || $1 == "size" || $1 == "memory") { val[$2, $3] = $4 }
    if ($1 == "target" && !(($2) in tseen)) { tseen[$2] = 1; torder[++ntarget] = $2 }
    val[$2, $3] = $4
}
END {
    if (("host", "cpu") in val) {
        title("Machine", 14)
        row("machine", "value"); sep(2)
        row("nproc", v("host", "nproc"))
        row("cpu", v("host", "cpu")); row("kernel", v("host", "kernel"))
        row("cc", v("host", "cc")); row("go", v("host", "go")); row("valgrind", v("host", "valgrind"))
        row("load average", v("host", "loadavg_start") " at start, " v("host", "loadavg_end") " at end")
        row("date", v("host", "date")); row("commit", v("host", "commit"))
    }
    for (g = 1; g <= 2; g++) {
        want = g == 1 ? "main|base" : "sweep"
        shown = 0
        for (i = 1; i <= ncase; i++) {
            c = order[i]
            if (v(c, "group") !~ "^(" want ")$") continue
            if (!shown) {
                if (g == 1)
                    title(sprintf("Throughput: ns per item per edge (median of %s runs; N = %s, Go N = %s)", cfg["runs"], cfg["n"], cfg["go_n"]), 20)
                else
                    title(sprintf("Sweep for the plots (N = %s)", cfg["sweep_n"]), 20)
                row("case", "median ns", "min ns", "max ns", "x fused", "x Go", "instr", "graph bytes", "nodes")
                sep(9)
                shown = 1
            }
            row(c, v(c, "ns_median"), v(c, "ns_min"), v(c, "ns_max"), v(c, "vs_fused"),
                v(c, "vs_go"), v(c, "instr"), v(c, "graph_bytes"), v(c, "nodes"))
        }
    }
    if (("agdf_task", "bytes") in val) {
        title("Static memory", 46)
        row("record", "bytes"); sep(2)
        row("agdf_task (runtime part of a task)", v("agdf_task", "bytes"))
        row("agdf_node (runtime node record)", v("agdf_node", "bytes"))
        if (("int_node_default", "bytes") in val)
            row("int node, default attributes (one more node)", v("int_node_default", "bytes"))
        print ""
        print "graph bytes above: sizeof the generated graph struct (every queue, task, error record, node record)."
    }
    shown = 0
    for (k in val) { split(k, p, SUBSEP); if (p[1] ~ /^(agdfc_|gcc_O2_)/ ) shown = 1 }
    if (shown) {
        title("Compile side", 36)
        row("figure", "value", "unit"); sep(3)
        for (k in val) {
            split(k, p, SUBSEP)
            if (p[1] ~ /^agdfc_.*_nodes$/ && p[2] == "cpu") row(p[1] " (CPU)", val[k], "s")
            if (p[1] ~ /^agdfc_.*_nodes$/ && p[2] == "wall") row(p[1] " (wall)", val[k], "s")
        }
        row("gcc -O2, 1,000 nodes (CPU)", v("gcc_O2_1000_nodes", "cpu"), "s")
        row("gcc -O2, 1,000 nodes (wall)", v("gcc_O2_1000_nodes", "wall"), "s")
        row("  generated C lines", v("gcc_O2_1000_nodes", "c_lines"), "lines")
        row("runtime .text -Os, no offload", v("runtime_no_offload", "text"), "B")
        row("runtime .text -Os, offload", v("runtime_offload", "text"), "B")
        row("  text+rodata+data, no offload", v("runtime_no_offload", "text_rodata"), "B")
        for (k in val) {
            split(k, p, SUBSEP)
            if (p[1] ~ /_no_offload$/ && p[1] !~ /^runtime_/ && p[2] == "text")
                row("  " p[1] " .text", val[k], "B")
        }
    }
    for (k in val) { split(k, p, SUBSEP); if (p[2] ~ /^line[0-9]+$/) comp[p[1]] = 1 }
    for (c in comp) {
        title("Companion benchmark: " c, 2)
        if (md) print "```"
        for (i = 1; ((c, "line" i) in val); i++) print val[c, "line" i]
        if (md) print "```"
    }
    # one table per issue; a results file older than the "table" lines is issue 5
    for (g = 5; g <= 12; g += 7) {
        shown = 0
        for (i = 1; i <= ntarget; i++) {
            t = torder[i]
            if ((v(t, "table") == "-" ? "issue5" : v(t, "table")) != "issue" g) continue
            if (!shown) {
                title("Targets (issue " g ")", 64)
                row("target", "limit", "measured", "status"); sep(4)
                shown = 1
            }
            row(v(t, "description"), v(t, "limit"), v(t, "value"), md && v(t, "status") == "MISSED" ? "**MISSED**" : v(t, "status"))
        }
    }
}' "$tsv"
