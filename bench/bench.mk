# SPDX-License-Identifier: MIT
# bench/bench.mk: `make bench`, the compute benchmarks. Included by the
# top-level Makefile (which defines BUILD, CC, WASM_CC, WARN, CLI_BIN, Q, msg).
#
#   make bench                  build everything and run (5 repetitions)
#   make bench BENCH_QUICK=1    small sizes, a fast pass
#   make bench BENCH_REPS=N     N repetitions
#   make bench BENCH_KERNELS=fib,sieve BENCH_RUNNERS=native,ours
#   make bench-build            only build the kernels and the driver
#
# Results: a markdown table on stdout and in $(BUILD)/bench/results.md, and
# $(BUILD)/bench/results.json. Never part of `make test`.

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
BENCH_DRIVER := $(BENCH_DIR)/runbench

# Every kernel is built three ways from the same source: natively, as a
# wasm32-wasi command (ours and node), and as a module that exports bench()
# and has no _start, for wabt's wasm-interp (no WASI in Debian's build).
$(BENCH_NATIVE): $(BENCH_DIR)/native/%: bench/kernels/%.c bench/kernels/main.c $(BENCH_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BENCH_NATIVE_CC) $(BENCH_CFLAGS) -DKERNEL_NAME=\"$*\" bench/kernels/main.c $< -o $@

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
$(BENCH_DIR)/native/memops_bulk $(BENCH_DIR)/wasi/memops_bulk.wasm $(BENCH_DIR)/export/memops_bulk.wasm \
$(BENCH_DIR)/export-quick/memops_bulk.wasm: bench/kernels/memops.c

$(BENCH_DRIVER): bench/runbench.c $(BENCH_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -g -D_GNU_SOURCE -Ibench bench/runbench.c -o $@ -lm

.PHONY: bench bench-build
bench-build: $(BENCH_NATIVE) $(BENCH_WASI) $(BENCH_EXPORT) $(BENCH_EXPORT_QUICK) $(BENCH_DRIVER)

# Our engine is built on the way, but a CLI that does not build yet only
# skips its column (the driver says why) instead of stopping the benchmark.
# The driver runs a copy, so that every repetition measures the same build
# even if $(CLI_BIN) is rebuilt or removed meanwhile.
bench: bench-build
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
		--command "make bench$(if $(filter 1,$(BENCH_QUICK)), BENCH_QUICK=1) BENCH_REPS=$(BENCH_REPS)"
