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
# NAME DESCRIPTION VALUE LIMIT UNIT [SHOWN]: one target, "<=" like every limit
# of the issue; judged on VALUE, printed as SHOWN when given (a rounded ratio
# must not turn 1.1004 into a met 1.100)
function target(name, desc, value, limit, unit, shown,    st) {
    if (value == "" || value == "-") { st = "not-measured"; value = "-" }
    else { st = (value + 0 <= limit + 0) ? "met" : "MISSED"; if (shown != "") value = shown }
    printf "target\t%s\tvalue\t%s\t%s\n", name, value, unit
    printf "target\t%s\tlimit\t<= %s\t%s\n", name, limit, unit
    printf "target\t%s\tstatus\t%s\t-\n", name, st
    printf "target\t%s\tdescription\t%s\t-\n", name, desc
    printf "target\t%s\ttable\tissue12\t-\n", name
}
END {
    # name | description | section | case | metric | limit | unit
    n = split("chain8_q1_instr|chain, queue_size 1: instructions per hop|bench|chain8_q1|instr|90|instr\n" \
        "chain8_q1_ns|chain, queue_size 1: ns per hop|bench|chain8_q1|ns_median|8|ns\n" \
        "fanout4_q16_instr|fan-out 1 -> 4, queue_size 16: instructions per delivered item|bench|fanout4_q16|instr|30|instr\n" \
        "fanout4_q1024_instr|fan-out 1 -> 4, queue_size 1024: instructions per delivered item|bench|fanout4_q1024|instr|30|instr\n" \
        "chain8_b64_q16_instr|64 B items, queue_size 16: instructions per hop|bench|chain8_b64_q16|instr|35|instr\n" \
        "chain8_b1024_q16_instr|1 KiB items, queue_size 16: instructions per hop|bench|chain8_b1024_q16|instr|170|instr\n" \
        "gcc_O2_1000_nodes|gcc -O2 on the generated C of 1,000 nodes (CPU: user + sys)|compile|gcc_O2_1000_nodes|cpu|5|s", rows, "\n")
    for (i = 1; i <= n; i++) {
        split(rows[i], f, "|")
        target("i12_" f[1], f[2], get(f[3], f[4], f[5]), f[6], f[7])
    }
    n = split("chain8_q1 chain8_q16 chain8_q1024 chain8_q10000 chain1000_q16", chains, " ")
    for (i = 1; i <= n; i++) {
        c = chains[i]; a = get("bench", c, "instr")
        b = (("bench", c, "instr") in before) ? before["bench", c, "instr"] : ""
        r = (a != "" && b != "" && b + 0 > 0) ? a / b : ""
        target("i12_" c "_vs_before", c ": instructions per hop / before" (b != "" ? " (" b ")" : ""),
               r, "1.10", "x", r == "" ? "" : sprintf("%.3f", r))
    }
    m = get("memory", "int_node_default", "bytes")
    target("i12_int_node_memory", "static memory of one int node, default attributes (48 KiB)",
           m, 49152, "B")
}' "$@"
