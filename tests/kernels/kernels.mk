# SPDX-License-Identifier: MIT
# The benchmark kernels as a test (tests/kernels/run.sh): each kernel of
# bench/kernels.def, built natively and for wasm32-wasi by bench/bench.mk,
# runs both ways at a small size and the checksums must agree. Needs
# bench/bench.mk included first (BENCH_NATIVE, BENCH_WASI, BENCH_DIR).
#
#   make test-kernels                       every kernel, max(1, quick/10) units
#   make test-kernels KERNELS_TIMEOUT=300   seconds per run (default 60)

KERNELS_TIMEOUT ?= 60

.PHONY: test-kernels
test-kernels: $(CLI_BIN) $(BENCH_NATIVE) $(BENCH_WASI)
	$(call msg,KERNEL,$(BENCH_DIR))
	$(Q)KERNELS_TIMEOUT='$(KERNELS_TIMEOUT)' tests/kernels/run.sh $(CLI_BIN) \
		$(BENCH_DIR)/native $(BENCH_DIR)/wasi
