# Makefile — builds agdfc (bin/agdfc) and libagdf (lib/libagdf.a), runs the
# tests, the demo and the benchmarks.  Generated lexer/parser sources and all
# objects live in build/; nothing generated is ever written into the sources.
#
#   make            build the compiler and the runtime library
#   make demo       build everything and run the ETL example
#   make test       every test: unit (cmocka, also under ASan/UBSan), golden,
#                   examples, conformance; ends with "N passed, N failed"
#   make bench      the benchmark programs (not part of make test)
#   make trace-picture  re-render docs/tracing.png from a real trace (needs
#                   rsvg-convert, Debian librsvg2-bin; not part of make test)
#   make fuzz       a longer fuzzing campaign (FUZZ_SECONDS=300)
#   make soak       many more random graphs (RANDOM_GRAPHS=3000), then
#                   larger threaded ones for SOAK_SECONDS=600 (make soak-threads)
#   make install PREFIX=/usr/local [DESTDIR=/staging]   (and make uninstall)

PREFIX  ?= /usr/local
CC      ?= cc
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Werror
B       := build
# The compiler may use C11 + POSIX; the runtime and generated code are C99.
CFLAGS_COMPILER := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) -Icompiler -I$(B)
CFLAGS_RUNTIME  := -std=c99 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) -Iruntime
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Header dependencies are computed by the compiler: each object (and unit test
# binary) gets a .d file beside it, included at the end of this file.
DEP      = -MMD -MP -MF $@.d -MT $@

COMPILER_SRC := $(wildcard compiler/*.c)
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(B)/%.o) $(B)/grammar/lexer.o $(B)/grammar/parser.o
COMPILER_LIB_OBJ := $(filter-out $(B)/compiler/main.o,$(COMPILER_OBJ))
RUNTIME_SRC  := $(wildcard runtime/*.c)
RUNTIME_OBJ  := $(RUNTIME_SRC:%.c=$(B)/%.o)
RUNTIME_SAN_OBJ := $(RUNTIME_SRC:%.c=$(B)/san/%.o)
UNIT_SRC     := $(wildcard tests/unit/test_*.c)
UNIT_BIN     := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps demo test unit bench trace-picture install uninstall clean
.DELETE_ON_ERROR:

all: deps bin/agdfc lib/libagdf.a

# The only place packages are installed: everything that needs re2c, lemon or
# cmocka depends on $(B)/.deps (the generated parser header, which every
# compiler object waits for, and the unit tests), so `make -j test` on a fresh
# machine never compiles before they exist.
deps: $(B)/.deps
$(B)/.deps: scripts/deps.sh
	@mkdir -p $(B)
	@sh scripts/deps.sh
	@touch $@

# ---------------------------------------------------------------- compiler
$(B)/grammar/parser.c $(B)/grammar/parser.h: grammar/parser.y $(B)/.deps
	@mkdir -p $(B)/grammar
	cp grammar/parser.y $(B)/grammar/parser.y
	lemon -q -T/usr/share/lemon/lempar.c $(B)/grammar/parser.y
	@touch $(B)/grammar/parser.h   # lemon leaves an unchanged header as it was: stale forever

$(B)/grammar/lexer.c: grammar/lexer.re $(B)/grammar/parser.h $(B)/.deps
	@mkdir -p $(B)/grammar
	re2c -W --no-generation-date --no-version -o $@ grammar/lexer.re

# lemon's template trips some warnings we otherwise keep; it is not our code.
$(B)/grammar/parser.o: $(B)/grammar/parser.c
	$(CC) $(CFLAGS_COMPILER) $(DEP) -Wno-unused-parameter -Wno-unused-variable -c -o $@ $<

$(B)/grammar/lexer.o: $(B)/grammar/lexer.c
	$(CC) $(CFLAGS_COMPILER) $(DEP) -Igrammar -I$(B)/grammar -c -o $@ $<

# parser.h is generated: order-only here, a real prerequisite through the .d files.
$(B)/compiler/%.o: compiler/%.c | $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMPILER) $(DEP) -I$(B)/grammar -Iruntime -c -o $@ $<

bin/agdfc: $(COMPILER_OBJ)
	@mkdir -p bin
	$(CC) $(OPT) -o $@ $^

# ---------------------------------------------------------------- runtime
# Static pattern rules: the objects are explicit targets, so make prefers the
# test_rt_% rule below (whose prerequisites they are) to the test_% one.
$(RUNTIME_OBJ): $(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_RUNTIME) $(DEP) -c -o $@ $<

$(RUNTIME_SAN_OBJ): $(B)/san/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_RUNTIME) $(DEP) $(SAN) -c -o $@ $<

lib/libagdf.a: $(RUNTIME_OBJ)
	@mkdir -p lib
	rm -f $@
	ar rcs $@ $^

# ---------------------------------------------------------------- tests
# Unit tests named test_rt_* exercise the runtime (C99, linked with the
# sanitizer build of the runtime); the others exercise the compiler.  All of
# them are built with ASan/UBSan.
$(B)/tests/test_rt_%: tests/unit/test_rt_%.c $(RUNTIME_SAN_OBJ) | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_RUNTIME) $(DEP) $(SAN) -Itests/unit -o $@ $< $(RUNTIME_SAN_OBJ) -lcmocka -lpthread

$(B)/tests/test_%: tests/unit/test_%.c $(COMPILER_LIB_OBJ:$(B)/%=$(B)/san/%) | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMPILER) $(DEP) $(SAN) -I$(B)/grammar -Itests/unit -o $@ $< $(COMPILER_LIB_OBJ:$(B)/%=$(B)/san/%) -lcmocka

$(B)/san/compiler/%.o: compiler/%.c | $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMPILER) $(DEP) $(SAN) -I$(B)/grammar -Iruntime -c -o $@ $<

$(B)/san/grammar/parser.o: $(B)/grammar/parser.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMPILER) $(DEP) $(SAN) -Wno-unused-parameter -Wno-unused-variable -c -o $@ $<

$(B)/san/grammar/lexer.o: $(B)/grammar/lexer.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMPILER) $(DEP) $(SAN) -Igrammar -I$(B)/grammar -c -o $@ $<

bin/agdfc-san: $(COMPILER_OBJ:$(B)/%=$(B)/san/%)
	@mkdir -p bin
	$(CC) $(OPT) $(SAN) -o $@ $^

unit: $(UNIT_BIN)

# The build before the tests uses every core (the suites themselves run side
# by side: tests/run.sh).
NPROC := $(shell nproc 2>/dev/null || echo 2)
test:
	@$(MAKE) --no-print-directory -j$(NPROC) all unit bin/agdfc-san
	@bash tests/run.sh

# ---------------------------------------------------------------- demo, bench
demo: all
	@$(MAKE) --no-print-directory -C examples/etl run

bench: all
	@bash bench/run.sh

# docs/tracing.md's picture: tests/trace/pipe.agdf run with --trace, drawn by
# scripts/trace_svg.py.
trace-picture: all
	@mkdir -p $(B)/trace
	bin/agdfc --main tests/trace/pipe.agdf -o $(B)/trace/pipe.c
	$(CC) -std=c99 -O2 -Iruntime -I$(B)/trace $(B)/trace/pipe.c lib/libagdf.a -lpthread -o $(B)/trace/pipe
	$(B)/trace/pipe --trace=$(B)/trace/pipe.json 2>/dev/null || test $$? = 1
	python3 scripts/trace_svg.py $(B)/trace/pipe.json $(B)/trace/pipe.svg \
	    "pipe: ./pipe --trace=pipe.json (tests/trace/pipe.agdf)"
	rsvg-convert -o docs/tracing.png $(B)/trace/pipe.svg

# The picture docs/cli.md shows, drawn by agdfc --emit=dot and Graphviz.
# Not part of `make test`: run it when the example or the DOT output changes.
.PHONY: docs-pictures
docs-pictures: docs/graph-example.svg
docs/graph-example.svg: examples/branching/branching.agdf bin/agdfc
	bin/agdfc --emit=dot $< | dot -Tsvg -o $@

# ---------------------------------------------------------------- fuzz, soak
# The libFuzzer harness (tests/fuzz/) links the compiler's sources built again
# with clang and its sanitizers under $(B)/fuzz/, never gcc's objects.
# `make fuzz FUZZ_SECONDS=N` runs a longer campaign than make test's (its
# corpus and findings stay in $(B)/fuzz/); `make soak RANDOM_GRAPHS=N
# RANDOM_SEED=S` runs more random graphs than make test's (docs/testing.md).
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O1 -g $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -Icompiler -I$(B) -I$(B)/grammar -Iruntime
FUZZ_OBJ     := $(COMPILER_LIB_OBJ:$(B)/%=$(B)/fuzz/%)
FUZZ_SECONDS ?= 300
.PHONY: fuzz soak soak-threads

$(B)/fuzz/compiler/%.o: compiler/%.c | $(B)/grammar/parser.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP) -c -o $@ $<

$(B)/fuzz/grammar/parser.o: $(B)/grammar/parser.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP) -Wno-unused-parameter -Wno-unused-variable -c -o $@ $<

$(B)/fuzz/grammar/lexer.o: $(B)/grammar/lexer.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP) -Igrammar -c -o $@ $<

$(B)/fuzz/fuzz_agdfc: tests/fuzz/fuzz_agdfc.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ)

fuzz: $(B)/fuzz/fuzz_agdfc
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CAMPAIGN=1 bash tests/fuzz/run.sh

soak: all
	@RANDOM_GRAPHS=$${RANDOM_GRAPHS:-3000} bash tests/random/run.sh
	@bash tests/threads/soak.sh

# tests/threads/soak.sh: larger random threaded graphs, ASan and TSan, until
# SOAK_SECONDS (600) have passed; stops at the first failure with its seed.
soak-threads: all
	@bash tests/threads/soak.sh

# ---------------------------------------------------------------- install
# make install [PREFIX=...] [DESTDIR=...] / make uninstall: scripts/install.sh
# holds the list of installed files (see docs/build.md).
install uninstall: export PREFIX := $(PREFIX)
install uninstall: export DESTDIR := $(DESTDIR)
install uninstall: export CC := $(CC)

install: all
	@sh scripts/install.sh install

uninstall:
	@sh scripts/install.sh uninstall

clean:
	rm -rf $(B) bin lib

# The header dependencies the compiler wrote (see DEP); absent before a build.
-include $(wildcard $(B)/*/*.d $(B)/*/*/*.d)
