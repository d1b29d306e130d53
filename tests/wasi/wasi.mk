# SPDX-License-Identifier: MIT
# The WASI suite: every tests/wasi/*.c built for wasm32-wasi, the compared
# ones also natively, then run.sh runs both and compares (`make test-wasi`).

WASI_TEST_DIR := $(BUILD)/tests/wasi
WASI_TEST_SRCS := $(sort $(wildcard tests/wasi/*.c))
WASI_TEST_HDRS := $(wildcard tests/wasi/*.h)
WASI_TEST_NAMES := $(notdir $(basename $(WASI_TEST_SRCS)))
# Escape, no-grant, read-only, SIGINT and trap programs only make sense inside the sandbox.
WASI_ONLY_WASM := $(filter escape_% nogrant% rodir_% sigint_% trap_%,$(WASI_TEST_NAMES))
WASI_NATIVE_BINS := $(addprefix $(WASI_TEST_DIR)/native/,\
	$(filter-out $(WASI_ONLY_WASM),$(WASI_TEST_NAMES)))
WASI_WASM_BINS := $(addprefix $(WASI_TEST_DIR)/wasm/,$(addsuffix .wasm,$(WASI_TEST_NAMES)))
WASI_TEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter
# docs/cli.md: "70 guest trapped".
WASI_TRAP_RC ?= 70

$(WASI_TEST_DIR)/native/%: tests/wasi/%.c $(WASI_TEST_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(WASI_TEST_CFLAGS) -D_GNU_SOURCE -o $@ $< -lm

$(WASI_TEST_DIR)/wasm/%.wasm: tests/wasi/%.c $(WASI_TEST_HDRS)
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASM_CC) --target=wasm32-wasi $(WASI_TEST_CFLAGS) -o $@ $< -lm

.PHONY: test-wasi wasi-progs
wasi-progs: $(WASI_NATIVE_BINS) $(WASI_WASM_BINS)

test-wasi: $(CLI_BIN) wasi-progs
	$(Q)WASI_TRAP_RC=$(WASI_TRAP_RC) tests/wasi/run.sh $(CLI_BIN) $(WASI_TEST_DIR) $(WASI_TESTS)
