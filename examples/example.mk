# examples/example.mk — the build, run and check rules shared by the examples.
#
# An example's Makefile sets a few variables and includes this file:
#
#   NAME          the program, built as build/NAME (required)
#   GRAPHS        the .agdf files (default: NAME.agdf); each becomes build/G.c + build/G.h
#   AGDFC_FLAGS   flags for agdfc (default: --main; empty when the example has its own main)
#   CSRCS         the example's own C files (node bodies, a main); they may include
#                 the generated headers, which are built first
#   RUN_ARGS      arguments for `make run` (default: --stats)
#   CHECK_ARGS    arguments for the run `make check` compares (default: --stats --virtual-time)
#   STDOUT_FILTER a command the checked stdout goes through before the comparison (default: cat)
#   EXTRA_CHECKS  more targets `make check` runs (timing checks, output files); they
#                 run the program as $(WRAP) ./$(PROG) too
#
# `make check` runs build/NAME CHECK_ARGS and compares its stdout with expected.stdout,
# the agdf log lines of its stderr (INFO:agdf: / ERROR:agdf: ...) with expected.stderr,
# and its exit status with expected.status; any difference fails the target.
#
# The graphs are compiled with the rules of the Make fragment agdf installs
# (ROOT/dist/agdf.mk; docs/build.md), which also writes build/G.agdf.d.
# The compiler and the runtime come from the repository root (ROOT, default ../..):
# bin/agdfc and lib/libagdf.a, built there with `make` when missing.  Override AGDFC,
# LIBAGDF and RUNTIME_INC to use an installed agdf instead.  `make SAN=1 ...` builds
# under build/san with ASan/UBSan, compiling the runtime from ROOT/runtime/*.c the same
# way (or linking RT=path/to/an-asan-libagdf.a); `make TIMING=0 check` skips the
# real-time measurements; EXTRA_CFLAGS=-Werror (as the tests do) adds C flags;
# WRAP="valgrind -q --error-exitcode=99" runs the checked program under a wrapper.

ROOT        ?= ../..
AGDFC       ?= $(ROOT)/bin/agdfc
LIBAGDF     ?= $(ROOT)/lib/libagdf.a
RUNTIME_INC ?= $(ROOT)/runtime
GRAPHS      ?= $(NAME).agdf
AGDFC_FLAGS ?= --main
CSRCS       ?=
RUN_ARGS    ?= --stats
CHECK_ARGS  ?= --stats --virtual-time
STDOUT_FILTER ?= cat
EXTRA_CHECKS ?=
TIMING      ?= 1
WRAP        ?=
CFLAGS      ?= -std=c99 -O2 -g -Wall -Wextra -Wpedantic
CFLAGS      += $(EXTRA_CFLAGS)
SANFLAGS    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDLIBS      += -lpthread

ifeq ($(SAN),1)
B       := build/san
CFLAGS  += $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
RT      ?= $(patsubst $(ROOT)/runtime/%.c,$(B)/runtime/%.o,$(wildcard $(ROOT)/runtime/*.c))
else
B       := build
RT      ?= $(LIBAGDF)
endif

PROG    := $(B)/$(NAME)
GEN_C   := $(GRAPHS:%.agdf=$(B)/%.c)
GEN_H   := $(GRAPHS:%.agdf=$(B)/%.h)
GEN_O   := $(GRAPHS:%.agdf=$(B)/%.o)
USER_O  := $(CSRCS:%.c=$(B)/%.o)
CPPFLAGS += -I$(RUNTIME_INC) -I$(B)

.PHONY: all run check clean
.DELETE_ON_ERROR:

all: $(PROG)

# Build the compiler and the library at the root only when they are missing.
ifeq ($(AGDFC),$(ROOT)/bin/agdfc)
AGDFC_DEP := $(AGDFC)
$(AGDFC):
	$(MAKE) -C $(ROOT) all
endif
ifeq ($(LIBAGDF),$(ROOT)/lib/libagdf.a)
$(LIBAGDF):
	$(MAKE) -C $(ROOT) all
endif

# The rules an installed agdf gives a project (dist/agdf.mk, installed as
# share/agdf/agdf.mk): AGDF_COMPILE runs agdfc with a dependency file, included
# on the next run.  The flags are set here, so it does not ask pkg-config.
AGDF_CFLAGS  := -I$(RUNTIME_INC)
AGDF_LIBS    := -lpthread
AGDF_DEPDIRS := $(B)
AGDFFLAGS     = $(AGDFC_FLAGS)
include $(ROOT)/dist/agdf.mk

$(B)/%.c $(B)/%.h: %.agdf $(AGDFC_DEP)
	@mkdir -p $(B)
	$(AGDF_COMPILE)

$(GEN_O): $(B)/%.o: $(B)/%.c $(GEN_H)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(USER_O): $(B)/%.o: %.c $(GEN_H)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/runtime/%.o: $(ROOT)/runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) -D_POSIX_C_SOURCE=200809L -I$(RUNTIME_INC) $(CFLAGS) -c -o $@ $<

$(PROG): $(GEN_O) $(USER_O) $(RT)
	$(CC) $(LDFLAGS) -o $@ $(GEN_O) $(USER_O) $(RT) $(LDLIBS)

run: $(PROG)
	@echo ./$(PROG) $(RUN_ARGS)
	@./$(PROG) $(RUN_ARGS) || echo "(exit status $$?)"

check: $(PROG) $(EXTRA_CHECKS)
	@$(WRAP) ./$(PROG) $(CHECK_ARGS) >$(B)/check.stdout 2>$(B)/check.stderr; echo $$? >$(B)/check.status
	@$(STDOUT_FILTER) <$(B)/check.stdout >$(B)/check.stdout.cmp
	@grep -E '^[A-Z]+:agdf:' $(B)/check.stderr >$(B)/check.log || true
	@diff -u expected.stdout $(B)/check.stdout.cmp
	@diff -u expected.stderr $(B)/check.log
	@diff -u expected.status $(B)/check.status
	@echo "check $(NAME): ok"

clean:
	rm -rf build
