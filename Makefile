# SPDX-License-Identifier: MIT
# wasm-bpf: one non-recursive Makefile for the library, the command, tests,
# benchmarks and fuzzers. `make help` lists the targets.

.DEFAULT_GOAL := all

CC ?= cc
AR ?= ar
PREFIX ?= /usr/local
DESTDIR ?=
WASM_CC ?= clang
WAST2JSON ?= wast2json
WAT2WASM ?= wat2wasm
VERSION := 0.1.0

ifeq ($(SANITIZE),1)
BUILD ?= build/san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SAN_FLAGS :=
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wvla -Wno-unused-parameter
ifeq ($(CI),true)
WARN += -Werror
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT ?= -O2
CFLAGS ?= $(OPT) -g
# -ffp-contract=off: a fused Wasm multiply-add must round twice, like the two instructions.
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(SAN_FLAGS) -fPIC -ffp-contract=off -Iinclude -Isrc \
	-DWB_VERSION=\"$(VERSION)\" -D_GNU_SOURCE
ALL_LDFLAGS := $(LDFLAGS) $(SAN_FLAGS)
LIBS := -lbpf -lelf -lz -lm -ljson-c

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-6s %s\n' "$(1)" "$(2)";
endif

# ---------------------------------------------------------------- sources

ENGINE_SRCS := $(sort $(wildcard src/engine/*.c))
WASI_SRCS := $(sort $(wildcard src/wasi/*.c))
UTIL_SRCS := $(sort $(wildcard src/util/*.c))
BPF_SRCS := $(sort $(wildcard src/bpf/*.c))
GEN_SRCS := $(sort $(wildcard src/gen/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
LIB_SRCS := $(ENGINE_SRCS) $(WASI_SRCS) $(BPF_SRCS) $(GEN_SRCS) $(UTIL_SRCS)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
CLI_OBJS := $(call obj,$(CLI_SRCS))

STATIC_LIB := $(BUILD)/libwasm-bpf.a
SHARED_LIB := $(BUILD)/libwasm-bpf.so
CLI_BIN := $(BUILD)/wasm-bpf

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

$(BUILD)/obj/%.o: %.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(STATIC_LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) -shared $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(CLI_BIN): $(CLI_OBJS) $(STATIC_LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(STATIC_LIB) $(LIBS)

.PHONY: all lib
all: $(STATIC_LIB) $(SHARED_LIB) $(CLI_BIN)
lib: $(STATIC_LIB) $(SHARED_LIB)

# ---------------------------------------------------------------- dependencies

DEB_PKGS := build-essential clang lld llvm libbpf-dev libelf-dev zlib1g-dev bpftool \
	wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen iproute2 libjson-c-dev \
	libcmocka-dev pkg-config hyperfine musl-dev

.PHONY: deps
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS   installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# ---------------------------------------------------------------- benchmarks

# Before the tests: tests/kernels/kernels.mk names the kernels built here.
include bench/bench.mk

# ---------------------------------------------------------------- tests

include tests/unit/unit.mk
include tests/spec/spec.mk
include tests/diff/diff.mk
include tests/kernels/kernels.mk
include tests/wasi/wasi.mk
include tests/bpf/bpf.mk
include tests/policy/policy.mk
include tests/gen/gen.mk
include tests/sdk/sdk.mk
include tests/regress/regress.mk
include tests/e2e/e2e.mk

.PHONY: test examples
test: test-docs test-unit test-spec test-diff test-spec-jit test-diff-jit test-jit-diff test-kernels test-wasi test-bpf test-policy test-gen test-sdk test-regress test-e2e

examples: e2e-examples

# ---------------------------------------------------------------- fuzz

include fuzz/fuzz.mk

# ---------------------------------------------------------------- install etc.

.PHONY: install clean format check help
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/wasm-bpf
	install -m 0755 $(CLI_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(STATIC_LIB) $(SHARED_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 include/wasm-bpf/*.h $(DESTDIR)$(PREFIX)/include/wasm-bpf/

clean:
	rm -rf build
	-$(MAKE) --no-print-directory -C examples clean

format:
	clang-format -i $$(find src include tests fuzz bench -name '*.[ch]' 2>/dev/null)

check:
	$(MAKE) WERROR=1 all

help:
	@echo "make [all]          build library, shared library and wasm-bpf into $(BUILD)/"
	@echo "make test           run every test suite (unit, spec, ...)"
	@echo "make test-unit      unit tests of the embedding API"
	@echo "make test-spec      WebAssembly 2.0 spec suite (needs ../shared/wasm-testsuite)"
	@echo "make test-diff      the engine against wasm-interp on random modules (DIFF_SEEDS=N, DIFF_SEED=S)"
	@echo "make test-spec-jit|test-diff-jit   the same two with every module loaded with the JIT"
	@echo "make test-jit-diff                  the JIT against the interpreter on 1000 random modules"
	@echo "make test-kernels   the benchmark kernels natively and under the engine, checksums compared"
	@echo "make test-wasi|test-bpf|test-gen|test-e2e   one suite each (bpf and e2e need root)"
	@echo "make examples       build every example under examples/"
	@echo "make fuzz FUZZ_SECONDS=N   run the module fuzzer"
	@echo "make fuzz-core-btf FUZZ_SECONDS=N   fuzz the minimized CO-RE BTF builder"
	@echo "make fuzz-inspect FUZZ_SECONDS=N    fuzz the inspection of eBPF objects"
	@echo "make fuzz-bpf-load FUZZ_SECONDS=N   (root) fuzz the host's open/load of eBPF objects"
	@echo "make bench          benchmarks (BENCH_QUICK=1 for a fast pass); not part of test"
	@echo "make deps           install the Debian packages the project needs"
	@echo "make SANITIZE=1 ... build with ASan + UBSan into build/san"
	@echo "make install PREFIX=/usr/local DESTDIR="

# ---------------------------------------------------------------- docs

.PHONY: docs test-docs
docs: $(CLI_BIN)
	$(Q)docs/gen-cli-reference.sh $(CLI_BIN) > docs/cli-reference.md

# docs/cli-reference.md must be what the program prints for --help.
test-docs: $(CLI_BIN)
	$(Q)docs/gen-cli-reference.sh $(CLI_BIN) | diff -u docs/cli-reference.md - \
		&& echo "docs: 1 passed, 0 failed" \
		|| { echo "docs: 0 passed, 1 failed (run make docs)"; exit 1; }
