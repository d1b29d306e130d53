# SPDX-License-Identifier: MIT
# The differential test (tests/diff/README.md): random modules from
# tests/diff/gen*.c, results from wabt's wasm-interp, checked against the
# engine by the spec runner.
#
#   make test-diff                   seeds 1..200
#   make test-diff DIFF_SEEDS=1000   seeds 1..1000
#   make test-diff DIFF_SEED=17      seed 17 only, its files kept in $(BUILD)/tests/diff/seed-17
#   make test-diff DIFF_WAT=x.wat    a module of your own (a failure being shrunk)

DIFF_DIR := $(BUILD)/tests/diff
DIFF_GEN := $(DIFF_DIR)/gen
DIFF_GEN_SRCS := $(sort $(wildcard tests/diff/*.c))
DIFF_GEN_OBJS := $(call obj,$(DIFF_GEN_SRCS))
WASM_INTERP ?= wasm-interp

# The objects come from the generic rule, whose .d files list gen.h.
-include $(DIFF_GEN_OBJS:.o=.d)

$(DIFF_GEN): $(DIFF_GEN_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(DIFF_GEN_OBJS)

.PHONY: test-diff
test-diff: $(DIFF_GEN) $(SPEC_RUNNER)
	$(call msg,DIFF,$(DIFF_DIR))
	$(Q)DIFF_SEEDS='$(DIFF_SEEDS)' DIFF_SEED='$(DIFF_SEED)' DIFF_WAT='$(DIFF_WAT)' \
		WAT2WASM='$(WAT2WASM)' WAST2JSON='$(WAST2JSON)' WASM_INTERP='$(WASM_INTERP)' \
		tests/diff/run.sh $(DIFF_GEN) $(SPEC_RUNNER) $(DIFF_DIR)
