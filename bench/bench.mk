# SPDX-License-Identifier: MIT
# bench/bench.mk: `make bench`, the compute benchmarks. Included by the
# top-level Makefile (which defines BUILD, CC, WASM_CC, WARN, CLI_BIN, Q, msg).
#
#   make bench                  both parts below, one after the other
#   make bench-compute          part 1, the compute kernels (5 repetitions)
#   make bench-ebpf             parts 2-5, eBPF (bench/ebpf/, as root)
#   make bench BENCH_QUICK=1    small sizes, a fast pass
#   make bench BENCH_REPS=N     N repetitions
#   make bench BENCH_KERNELS=fib,sieve BENCH_RUNNERS=native,ours
#   runners: native, native-ref, ours, ours-jit (wasm-bpf run --jit), node, wasm-interp
#   make bench-build            only build the kernels and the driver
#   make bench BENCH_MUSL_LIB=DIR BENCH_MUSL_INC=DIR    musl for native-ref
#
# Results: a markdown table on stdout and in $(BUILD)/bench/results.md, and
# $(BUILD)/bench/results.json; for bench-ebpf, $(BUILD)/bench/ebpf/ebpf.md and
# $(BUILD)/bench/ebpf.json. Never part of `make test`.

BENCH_DIR := $(BUILD)/bench
BENCH_NATIVE_CC ?= clang
BENCH_WASM_CC ?= $(WASM_CC)
BENCH_NODE ?= node
BENCH_WASM_INTERP ?= wasm-interp
BENCH_REPS ?= 5
BENCH_TIMEOUT ?= 600
BENCH_CFLAGS := -std=gnu11 -O2 $(WARN)

BENCH_NAMES := $(shell grep '^KERNEL' bench/kernels.def | cut -d, -f1 | cut -c8-)
BENCH_DEPS := bench/kernels/kernel.h bench/kernels.def bench/bench.mk

BENCH_NATIVE := $(addprefix $(BENCH_DIR)/native/,$(BENCH_NAMES))
BENCH_WASI := $(addprefix $(BENCH_DIR)/wasi/,$(addsuffix .wasm,$(BENCH_NAMES)))
BENCH_EXPORT := $(addprefix $(BENCH_DIR)/export/,$(addsuffix .wasm,$(BENCH_NAMES)))
BENCH_EXPORT_QUICK := $(addprefix $(BENCH_DIR)/export-quick/,$(addsuffix .wasm,$(BENCH_NAMES)))
BENCH_NATIVE_REF := $(addprefix $(BENCH_DIR)/native-ref/,$(BENCH_NAMES))
BENCH_DRIVER := $(BENCH_DIR)/runbench

# native-ref is a reference for attributing ours/native, not a target: the
# native kernels built scalar and statically against musl, the libc that
# wasi-libc is made from, so that glibc's faster qsort/memcpy/printf and SSE2
# auto-vectorization (which the wasm has neither of) drop out of the ratio.
# Debian's musl-dev puts musl here; without it the runner is skipped (the
# driver says why) and the rest of the benchmark runs.
BENCH_MUSL_LIB ?= /usr/lib/x86_64-linux-musl
BENCH_MUSL_INC ?= /usr/include/x86_64-linux-musl
BENCH_MUSL_FILES := $(BENCH_MUSL_LIB)/libc.a $(BENCH_MUSL_LIB)/rcrt1.o $(BENCH_MUSL_INC)/stdio.h
BENCH_MUSL_MISSING := $(filter-out $(wildcard $(BENCH_MUSL_FILES)),$(BENCH_MUSL_FILES))
BENCH_REF_SKIP := $(if $(BENCH_MUSL_MISSING),$(firstword $(BENCH_MUSL_MISSING)) is missing \
	(install musl-dev: make deps))
BENCH_REF_BUILT := $(if $(BENCH_MUSL_MISSING),,$(BENCH_NATIVE_REF))
BENCH_REF_FLAGS := -fno-tree-vectorize -fno-tree-slp-vectorize -fPIE -static-pie
# For the report; musl's libc.so, run as a program, prints its version. A
# deferred variable, so that only bench-compute runs it.
BENCH_REF_WHAT = -O2 $(BENCH_REF_FLAGS), \
	$(shell $(BENCH_MUSL_LIB)/libc.so 2>&1 | sed -n 's/^Version /musl /p')

# Every kernel is built four ways from the same source: natively, natively
# against musl without vectorization (native-ref), as a wasm32-wasi command
# (ours and node), and as a module that exports bench() and has no _start, for
# wabt's wasm-interp (no WASI in Debian's build).
$(BENCH_NATIVE): $(BENCH_DIR)/native/%: bench/kernels/%.c bench/kernels/main.c $(BENCH_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_NATIVE_CC) $(BENCH_CFLAGS) -DKERNEL_NAME=\"$*\" bench/kernels/main.c $< -o $@

# musl's start files, headers and libc.a instead of glibc's, as a static PIE
# (like native's default PIE, minus the dynamic loader). musl's headers are
# complete (stddef.h, stdarg.h); the compiler's runtime library stays for
# helpers such as 128-bit division. The flags are spelt so that gcc and clang
# both take them.
$(BENCH_NATIVE_REF): $(BENCH_DIR)/native-ref/%: bench/kernels/%.c bench/kernels/main.c $(BENCH_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_NATIVE_CC) $(BENCH_CFLAGS) $(BENCH_REF_FLAGS) -DKERNEL_NAME=\"$*\" \
		-nostdinc -isystem $(BENCH_MUSL_INC) -nostdlib \
		$(BENCH_MUSL_LIB)/rcrt1.o $(BENCH_MUSL_LIB)/crti.o bench/kernels/main.c $< \
		$(BENCH_MUSL_LIB)/libc.a $$($(BENCH_NATIVE_CC) -print-libgcc-file-name) \
		$(BENCH_MUSL_LIB)/crtn.o -o $@

$(BENCH_WASI): $(BENCH_DIR)/wasi/%.wasm: bench/kernels/%.c bench/kernels/main.c $(BENCH_DEPS)
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi $(BENCH_CFLAGS) $(BENCH_WASM_EXTRA) -DKERNEL_NAME=\"$*\" \
		bench/kernels/main.c $< -o $@

$(BENCH_EXPORT): $(BENCH_DIR)/export/%.wasm: bench/kernels/%.c bench/kernels/export.c $(BENCH_DEPS)
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi $(BENCH_CFLAGS) $(BENCH_WASM_EXTRA) -nostartfiles -Wl,--no-entry \
		-DKERNEL_NAME=\"$*\" bench/kernels/export.c $< -o $@

$(BENCH_EXPORT_QUICK): $(BENCH_DIR)/export-quick/%.wasm: bench/kernels/%.c bench/kernels/export.c $(BENCH_DEPS)
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi $(BENCH_CFLAGS) $(BENCH_WASM_EXTRA) -nostartfiles -Wl,--no-entry \
		-DBENCH_QUICK -DKERNEL_NAME=\"$*\" bench/kernels/export.c $< -o $@

# memops_bulk is memops with clang's bulk-memory lowering (memory.copy/fill).
$(BENCH_DIR)/wasi/memops_bulk.wasm $(BENCH_DIR)/export/memops_bulk.wasm \
$(BENCH_DIR)/export-quick/memops_bulk.wasm: BENCH_WASM_EXTRA := -mbulk-memory
$(BENCH_DIR)/native/memops_bulk $(BENCH_DIR)/native-ref/memops_bulk \
$(BENCH_DIR)/wasi/memops_bulk.wasm $(BENCH_DIR)/export/memops_bulk.wasm \
$(BENCH_DIR)/export-quick/memops_bulk.wasm: bench/kernels/memops.c

$(BENCH_DRIVER): bench/runbench.c $(BENCH_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -g -D_GNU_SOURCE -Ibench bench/runbench.c -o $@ -lm

.PHONY: bench bench-compute bench-build
bench-build: $(BENCH_NATIVE) $(BENCH_REF_BUILT) $(BENCH_WASI) $(BENCH_EXPORT) \
	$(BENCH_EXPORT_QUICK) $(BENCH_DRIVER)

# Our engine is built on the way, but a CLI that does not build yet only
# skips its column (the driver says why) instead of stopping the benchmark.
# The driver runs a copy, so that every repetition measures the same build
# even if $(CLI_BIN) is rebuilt or removed meanwhile.
bench-compute: bench-build
	$(Q)rm -f $(BENCH_DIR)/wasm-bpf
	$(Q)$(MAKE) --no-print-directory $(CLI_BIN) >$(BENCH_DIR)/cli-build.log 2>&1 && \
		cp $(CLI_BIN) $(BENCH_DIR)/wasm-bpf || \
		echo "  BENCH  $(CLI_BIN) does not build yet (see $(BENCH_DIR)/cli-build.log)"
	$(Q)$(BENCH_DRIVER) --dir $(BENCH_DIR) --reps $(BENCH_REPS) --timeout $(BENCH_TIMEOUT) \
		$(if $(filter 1,$(BENCH_QUICK)),--quick) \
		$(if $(BENCH_KERNELS),--kernels $(BENCH_KERNELS)) \
		$(if $(BENCH_RUNNERS),--runners $(BENCH_RUNNERS)) \
		--ours $(BENCH_DIR)/wasm-bpf --node $(BENCH_NODE) --wasm-interp $(BENCH_WASM_INTERP) \
		--runner-js bench/run-wasi.mjs \
		--compiler "$$($(BENCH_NATIVE_CC) --version | head -n1), -O2" \
		--ref-compiler "$$($(BENCH_NATIVE_CC) --version | head -n1), $(BENCH_REF_WHAT)" \
		$(if $(BENCH_REF_SKIP),--ref-skip "$(BENCH_REF_SKIP)") \
		--command "make bench$(if $(filter 1,$(BENCH_QUICK)), BENCH_QUICK=1) BENCH_REPS=$(BENCH_REPS)"

# ---------------------------------------------------------------- eBPF (parts 2-5)
#
#   make bench-ebpf                     pipeline, maps, start-up, footprint (~3 min)
#   make bench-ebpf BENCH_QUICK=1       200k events, 100k map operations (~40 s)
#   make bench-ebpf BENCH_REPS=3 BENCH_EVENTS=2000000 BENCH_MAP_OPS=500000
#
# bench/ebpf/pipe.c and boot.c build twice from one source: as wasm32 guests
# (sdk/c) run by wasm-bpf, and as native libbpf programs; both embed the same
# .bpf.o. The driver alternates the two and writes $(BUILD)/bench/ebpf.json.

EB_DIR := $(BENCH_DIR)/ebpf
ifeq ($(BENCH_QUICK),1)
BENCH_EVENTS ?= 200000
BENCH_MAP_OPS ?= 100000
endif
BENCH_EVENTS ?= 1000000
BENCH_MAP_OPS ?= 1000000
EB_BPF_CLANG ?= clang
EB_WASM_OPT ?= wasm-opt
EB_DEPS := bench/ebpf/compat.h bench/ebpf/bench_common.h bench/bench.mk
EB_NATIVE := $(EB_DIR)/native/pipe $(EB_DIR)/native/boot $(EB_DIR)/native/hello
EB_WASM := $(EB_DIR)/wasm/pipe.wasm $(EB_DIR)/wasm/boot.wasm $(EB_DIR)/wasm/hello.wasm \
	$(EB_DIR)/wasm/big.wasm
EB_DRIVER := $(EB_DIR)/ebpfbench
EB_MODLOAD := $(EB_DIR)/native/modload

$(EB_DIR)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

# As examples are built (sdk/wasm-bpf.mk): BTF kept, DWARF stripped.
$(EB_DIR)/%.bpf.o: bench/ebpf/%.bpf.c bench/ebpf/bench_common.h $(EB_DIR)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(EB_BPF_CLANG) -O2 -g -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
		-I$(EB_DIR) -Ibench/ebpf -c $< -o $@
	$(Q)llvm-strip -g $@

# The object as a writable C array `<name>_bpf_o` (.rodata is patched in it).
$(EB_DIR)/%.bpf.h: $(EB_DIR)/%.bpf.o
	$(call msg,EMBED,$@)
	$(Q){ printf '/* Generated from %s by bench/bench.mk. */\n' '$<'; \
	  printf 'static unsigned char %s_bpf_o[] __attribute__((aligned(8))) = {\n' '$*'; \
	  od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  printf '};\n'; } > $@.tmp && mv $@.tmp $@

$(EB_DIR)/native/pipe $(EB_DIR)/native/boot: $(EB_DIR)/native/%: bench/ebpf/%.c \
		$(EB_DIR)/%.bpf.h $(EB_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -I$(EB_DIR) -Ibench/ebpf $< -o $@ -lbpf -lelf -lz

# Built as sdk/wasm-bpf.mk builds an application (its allocator, wasm-opt flags;
# printf with floating point), so boot.wasm's size compares.
$(EB_DIR)/wasm/pipe.wasm $(EB_DIR)/wasm/boot.wasm: $(EB_DIR)/wasm/%.wasm: bench/ebpf/%.c \
		$(EB_DIR)/%.bpf.h $(EB_DEPS) $(wildcard sdk/c/*.h) sdk/c/wasm-bpf-malloc.c
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi $(BENCH_CFLAGS) -Isdk/c -I$(EB_DIR) -Ibench/ebpf \
		-Wl,--export-table -Wl,--strip-all $< sdk/c/wasm-bpf-malloc.c -o $@.tmp.wasm
	$(Q)if command -v $(EB_WASM_OPT) >/dev/null; then \
		$(EB_WASM_OPT) -Oz --converge --low-memory-unused --strip-debug --strip-producers \
			$@.tmp.wasm -o $@; \
		rm -f $@.tmp.wasm; else mv $@.tmp.wasm $@; fi

$(EB_DIR)/native/hello: bench/ebpf/hello.c bench/bench.mk
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_NATIVE_CC) $(BENCH_CFLAGS) $< -o $@

$(EB_DIR)/wasm/hello.wasm: bench/ebpf/hello.c bench/bench.mk
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi $(BENCH_CFLAGS) -Wl,--strip-all $< -o $@

# About 1 MB of code whose _start returns at once.
$(EB_DIR)/big.c: bench/ebpf/genbig.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)sh $< > $@.tmp && mv $@.tmp $@

$(EB_DIR)/wasm/big.wasm: $(EB_DIR)/big.c
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_WASM_CC) --target=wasm32-wasi -O2 -Wall $< -o $@

$(EB_MODLOAD): bench/ebpf/modload.c $(STATIC_LIB) bench/bench.mk
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -Iinclude $< $(STATIC_LIB) $(LIBS) -o $@

$(EB_DRIVER): bench/ebpf/ebpfbench.c bench/bench.mk
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -g -D_GNU_SOURCE $< -o $@

.SECONDARY: $(EB_DIR)/pipe.bpf.o $(EB_DIR)/boot.bpf.o $(EB_DIR)/pipe.bpf.h \
	$(EB_DIR)/boot.bpf.h $(EB_DIR)/vmlinux.h $(EB_DIR)/big.c

.PHONY: bench-ebpf bench-ebpf-build
bench-ebpf-build: $(EB_NATIVE) $(EB_WASM) $(EB_MODLOAD) $(EB_DRIVER) $(CLI_BIN)

# Needs root; runs a copy of the CLI for the same reason as bench-compute.
bench-ebpf: bench-ebpf-build
	$(Q)cp $(CLI_BIN) $(EB_DIR)/wasm-bpf
	$(Q)$(EB_DRIVER) --dir $(EB_DIR) --cli $(EB_DIR)/wasm-bpf --cli-src $(CLI_BIN) \
		--examples examples --reps $(BENCH_REPS) --events $(BENCH_EVENTS) \
		--map-ops $(BENCH_MAP_OPS) \
		--command "make bench-ebpf BENCH_REPS=$(BENCH_REPS) BENCH_EVENTS=$(BENCH_EVENTS) BENCH_MAP_OPS=$(BENCH_MAP_OPS)"

# Both parts, one after the other (never in parallel: they time things).
bench:
	$(Q)s=0; $(MAKE) --no-print-directory bench-compute || s=1; \
		$(MAKE) --no-print-directory bench-ebpf || s=1; exit $$s
