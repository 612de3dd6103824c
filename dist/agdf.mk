# agdf.mk — the Make rules for a project that uses agdf, installed as
# PREFIX/share/agdf/agdf.mk.  One line in the project's Makefile brings them in:
#
#   include $(shell pkg-config --variable=mkfile agdf)
#
# It gives the pattern rule "%.c %.h: %.agdf" (one agdfc run writes both files,
# so make -j never runs it twice), the canned recipe AGDF_COMPILE for rules of
# your own (outputs in another directory), the variables below, and includes the
# dependency files agdfc writes.  It defines no target, so the include line may
# come first.  See docs/build.md.
#
#   AGDFC        the compiler: the agdfc installed beside this file, else agdfc
#                from PATH
#   AGDFFLAGS    flags for agdfc (as YFLAGS for yacc), e.g. --main
#   AGDF_CFLAGS  the C flags to compile generated code with (pkg-config --cflags)
#   AGDF_LIBS    the libraries to link with (pkg-config --libs): libagdf, threads
#   AGDF_DEPDIRS more directories whose *.agdf.d files to include (the current
#                one always is); set it before the include line
#   PKG_CONFIG   the pkg-config command (default: pkg-config)

AGDF_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
AGDF_MK_AGDFC := $(abspath $(AGDF_MK_DIR)../../bin/agdfc)
ifeq ($(origin AGDFC),undefined)
AGDFC := $(if $(wildcard $(AGDF_MK_AGDFC)),$(AGDF_MK_AGDFC),agdfc)
endif
AGDFFLAGS ?=
PKG_CONFIG ?= pkg-config

# pkg-config runs once, when the fragment is read, and only for what the
# including Makefile did not set; a failure stops make with the reason.
agdf_mk_pkg = $(shell $(PKG_CONFIG) --$1 agdf)$(if $(filter 0,$(.SHELLSTATUS)),,$(error \
  agdf.mk: '$(PKG_CONFIG) --$1 agdf' failed: is PKG_CONFIG_PATH set to PREFIX/lib/pkgconfig?))
ifeq ($(origin AGDF_CFLAGS),undefined)
AGDF_CFLAGS := $(call agdf_mk_pkg,cflags)
endif
ifeq ($(origin AGDF_LIBS),undefined)
AGDF_LIBS := $(call agdf_mk_pkg,libs)
endif

# The recipe of a rule "DIR/%.c DIR/%.h: %.agdf": writes the .c, the .h beside
# it and the dependency file DIR/NAME.agdf.d (not NAME.d, which gcc -MD uses
# for the object).  $@ may be either target, hence $(basename $@).
AGDF_COMPILE = $(AGDFC) $(AGDFFLAGS) -MD -MF $(basename $@).agdf.d -o $(basename $@).c $<

%.c %.h: %.agdf
	$(AGDF_COMPILE)

# A dependency file's rule must not become the default goal when the include
# line comes first: keep whatever goal was set before it (none clears it).
AGDF_MK_GOAL := $(.DEFAULT_GOAL)
-include $(wildcard *.agdf.d $(addsuffix /*.agdf.d,$(AGDF_DEPDIRS)))
.DEFAULT_GOAL := $(AGDF_MK_GOAL)
