#!/usr/bin/env bash
# tests/model/run.sh — differential testing of the generated programs against an
# independent model of the scheduling rules (docs/language.md §10).  First the model itself
# (tests/model/model.py) must reproduce the twelve ground-truth cases of
# tests/conformance/ (stdout, statistics, exit status) exactly.  Then, for K seeded
# random graphs from tests/model/gen.py (the same kind as the conformance cases),
# it compiles each with `agdfc --main`, builds it with plain `cc -O0` against
# lib/libagdf.a, runs it with `--stats --virtual-time`, and compares stdout, the
# statistics lines and the exit status (1 exactly when some node raised) with the
# model.  One "PASS name" / "FAIL name" line per check, details indented under a
# FAIL (tests/run.sh counts them).  Needs bin/agdfc and lib/libagdf.a (`make`).
#
# Environment: MODEL_CASES=K (default 40) random graphs; MODEL_SEED=S (default 1)
# first seed; MODEL_SHAPE=small|large|mixed (default mixed: every fourth graph is
# large: up to 12 nodes, max_tasks up to 4, queue sizes 1-4); MODEL_KEEP=DIR keeps
# the .agdf, model and program outputs of every failing graph there;
# MODEL_JOBS=N parallel jobs (default: number of cores).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
AGDFC="$ROOT/bin/agdfc"
LIB="$ROOT/lib/libagdf.a"
RUN_TIMEOUT=20

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | head -n 40
}

# The stats lines of a --stats run, as "NAME IN OUT ERR".
stats_of() {
    sed -n 's/^INFO:agdf: \(.*\) - in=\([0-9]*\), out=\([0-9]*\), err=\([0-9]*\)$/\1 \2 \3 \4/p' "$1"
}

# prepare FIRST COUNT: in one Python process (interpreter start-up is slow here),
# writes for every seed $T/rSEED/g.agdf, the model's model.out, model.stats and
# model.rc, and opts (the generator's options, to reproduce it).
prepare() {
    "$PY" - "$HERE" "$T" "$1" "$2" "${MODEL_SHAPE:-mixed}" <<'EOF'
import os, random, sys
here, tmp, first, count, shape = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, here)
import gen, model
for seed in range(first, first + count):
    large = shape == "large" or (shape == "mixed" and seed % 4 == 0)
    lo, hi, tasks, queues = (6, 12, 4, (1, 2, 3, 4)) if large else (4, 8, 3, (1, 2, 3, 4, 10000))
    opts = f"--nodes {lo}-{hi} --max-tasks {tasks} --queues {','.join(map(str, queues))}"
    nodes, edges = gen.make_graph(random.Random(seed), lo, hi, tasks, queues)
    text = gen.render(nodes, edges, f"random graph: tests/model/gen.py {seed} {opts}")
    d = os.path.join(tmp, f"r{seed}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "g.agdf"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "opts"), "w") as f:
        f.write(opts + "\n")
    try:
        graph = model.parse(text)
        lines = model.Model(graph).run()
        rc = 1 if any(n.stat_err for n in graph) else 0
        stats = "".join(f"{n.name} {n.stat_in} {n.stat_out} {n.stat_err}\n" for n in graph)
    except Exception as e:          # reported as a FAIL of that seed
        lines, rc, stats = [], 99, f"model failed: {e!r}\n"
    with open(os.path.join(d, "model.out"), "w") as f:
        f.write("".join(l + "\n" for l in lines))
    with open(os.path.join(d, "model.stats"), "w") as f:
        f.write(stats)
    with open(os.path.join(d, "model.rc"), "w") as f:
        f.write(f"{rc}\n")
EOF
}

# one_random SEED: compiles, runs and compares one prepared random graph.
one_random() {
    local seed=$1 opts name d msg="" rc mrc
    d="$T/r$seed"
    name="model/random seed=$seed"
    opts=$(cat "$d/opts")
    mrc=$(cat "$d/model.rc")
    if [ "$mrc" -gt 1 ]; then
        fail "$name" <"$d/model.stats"
        return
    fi
    if ! "$AGDFC" --main "$d/g.agdf" -o "$d/g.c" >"$d/agdfc.log" 2>&1; then
        fail "$name (agdfc)" <"$d/agdfc.log"
        return
    fi
    if ! cc -std=c99 -O0 -I"$ROOT/runtime" -I"$d" "$d/g.c" "$LIB" -lpthread -o "$d/g" >"$d/cc.log" 2>&1; then
        fail "$name (cc)" <"$d/cc.log"
        return
    fi
    (cd "$d" && timeout "$RUN_TIMEOUT" ./g --stats --virtual-time >"$d/prog.out" 2>"$d/prog.err")
    rc=$?
    stats_of "$d/prog.err" >"$d/prog.stats"
    if ! diff -u "$d/model.out" "$d/prog.out" >"$d/diff.out"; then
        msg+="stdout differs from the model:"$'\n'"$(head -n 20 "$d/diff.out")"$'\n'
    fi
    if ! diff -u "$d/model.stats" "$d/prog.stats" >"$d/diff.stats"; then
        msg+="statistics differ from the model:"$'\n'"$(cat "$d/diff.stats")"$'\n'
    fi
    if [ "$rc" -ne "$mrc" ]; then
        msg+="exit status $rc, model $mrc"$'\n'
    fi
    if [ -n "$msg" ]; then
        { echo "reproduce: python3 tests/model/gen.py $seed $opts"; printf '%s' "$msg"; } | fail "$name"
        if [ -n "${MODEL_KEEP:-}" ]; then
            mkdir -p "$MODEL_KEEP" && cp -r "$d" "$MODEL_KEEP/seed_$seed"
        fi
    else
        echo "PASS $name"
    fi
    rm -rf "$d"
}

if [ "${1:-}" = "--one" ]; then          # internal: one random graph (for xargs -P)
    T=$2
    one_random "$3"
    exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 not found: the model needs it (apt-get install python3)" | fail "model/python3"
    exit 1
fi
# The interpreter itself, not a wrapper such as a pyenv shim (which costs seconds a call).
PY=$(python3 -c 'import sys; print(sys.executable or "python3")' 2>/dev/null) || PY=python3
if [ ! -x "$AGDFC" ] || [ ! -f "$LIB" ]; then
    echo "bin/agdfc or lib/libagdf.a missing (run make)" | fail "model/build"
    exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-model.XXXXXX")
trap 'rm -rf "$T"' EXIT

# 1. The model against the ground truth of the reference library.
CONF="$ROOT/tests/conformance"
for src in "$CONF"/case_*.agdf; do
    c=$(basename "$src" .agdf)
    "$PY" "$HERE/model.py" "$src" >"$T/$c.out" 2>"$T/$c.stats"
    rc=$?
    if awk '$4 > 0 { e = 1 } END { exit !e }' "$CONF/$c.stats"; then want=1; else want=0; fi
    msg=""
    diff -u "$CONF/$c.expected" "$T/$c.out" >"$T/d" 2>&1 || msg+="stdout differs from $c.expected:"$'\n'"$(head -n 20 "$T/d")"$'\n'
    diff -u "$CONF/$c.stats" "$T/$c.stats" >"$T/d" 2>&1 || msg+="statistics differ from $c.stats:"$'\n'"$(cat "$T/d")"$'\n'
    [ "$rc" -eq "$want" ] || msg+="model exit status $rc, expected $want"$'\n'
    if [ -n "$msg" ]; then printf '%s' "$msg" | fail "model/$c"; else echo "PASS model/$c"; fi
done

# 2. Random graphs: the program against the model.
K=${MODEL_CASES:-40}
S=${MODEL_SEED:-1}
JOBS=${MODEL_JOBS:-$(nproc 2>/dev/null || echo 2)}
export MODEL_KEEP
if ! prepare "$S" "$K" 2>"$T/prepare.log"; then
    fail "model/prepare (gen.py + model.py)" <"$T/prepare.log"
    exit 1
fi
seq "$S" $((S + K - 1)) | xargs -P "$JOBS" -n 1 bash "$HERE/run.sh" --one "$T"
