#!/usr/bin/env bash
# bench/targets12.sh — the targets of issue 12 (one fast path), judged on a
# results file of bench/run.sh, printed as results.tsv "target" lines (value,
# limit, status met / MISSED / not-measured, description, table issue12).  It
# is the one definition of those targets: bench/run.sh appends its output to
# results.tsv and bench/compare.sh prints it for the after side of a
# before/after comparison.  BEFORE is the results file the instruction counts
# of the plain chains must stay within 10 % of (the rewrite may not buy the
# compile time with a slower hop); without it those rows are not-measured.
#
#   targets12.sh RESULTS.tsv [BEFORE.tsv]
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 RESULTS.tsv [BEFORE.tsv]" >&2; exit 2; }
for f in "$@"; do [ -f "$f" ] || { echo "$f: not found" >&2; exit 1; }; done

awk -F'\t' -v nfiles=$# '
FNR == 1 { file++; next }
file == 1 { after[$1, $2, $3] = $4 }
file == 2 { before[$1, $2, $3] = $4 }
function get(s, c, m) { return ((s, c, m) in after) ? after[s, c, m] : "" }
# NAME DESCRIPTION VALUE LIMIT UNIT: one target, "<=" like every limit of the issue
function target(name, desc, value, limit, unit,    st) {
    if (value == "" || value == "-") { st = "not-measured"; value = "-" }
    else st = (value + 0 <= limit + 0) ? "met" : "MISSED"
    printf "target\t%s\tvalue\t%s\t%s\n", name, value, unit
    printf "target\t%s\tlimit\t<= %s\t%s\n", name, limit, unit
    printf "target\t%s\tstatus\t%s\t-\n", name, st
    printf "target\t%s\tdescription\t%s\t-\n", name, desc
    printf "target\t%s\ttable\tissue12\t-\n", name
}
END {
    target("i12_chain8_q1_instr", "chain, queue_size 1: instructions per hop",
           get("bench", "chain8_q1", "instr"), 90, "instr")
    target("i12_chain8_q1_ns", "chain, queue_size 1: ns per hop",
           get("bench", "chain8_q1", "ns_median"), 8, "ns")
    target("i12_fanout4_q16_instr", "fan-out 1 -> 4, queue_size 16: instructions per delivered item",
           get("bench", "fanout4_q16", "instr"), 30, "instr")
    target("i12_fanout4_q1024_instr", "fan-out 1 -> 4, queue_size 1024: instructions per delivered item",
           get("bench", "fanout4_q1024", "instr"), 30, "instr")
    target("i12_chain8_b64_q16_instr", "64 B items, queue_size 16: instructions per hop",
           get("bench", "chain8_b64_q16", "instr"), 35, "instr")
    target("i12_chain8_b1024_q16_instr", "1 KiB items, queue_size 16: instructions per hop",
           get("bench", "chain8_b1024_q16", "instr"), 170, "instr")
    target("i12_gcc_O2_1000_nodes", "gcc -O2 on the generated C of 1,000 nodes (CPU: user + sys)",
           get("compile", "gcc_O2_1000_nodes", "cpu"), 5, "s")
    n = split("chain8_q1 chain8_q16 chain8_q1024 chain8_q10000 chain1000_q16", chains, " ")
    for (i = 1; i <= n; i++) {
        c = chains[i]; a = get("bench", c, "instr")
        b = (("bench", c, "instr") in before) ? before["bench", c, "instr"] : ""
        r = (a != "" && b != "" && b + 0 > 0) ? sprintf("%.3f", a / b) : ""
        target("i12_" c "_vs_before", c ": instructions per hop / before" (b != "" ? " (" b ")" : ""),
               r, "1.10", "x")
    }
    m = get("memory", "int_node_default", "bytes")
    target("i12_int_node_memory", "static memory of one int node, default attributes",
           m == "" ? "" : sprintf("%.2f", m / 1024), 48, "KiB")
}' "$@"
