# SPDX-License-Identifier: MIT
# The differential test (tests/diff/README.md): random modules from
# tests/diff/gen*.c, results from wabt's wasm-interp, checked against the
# engine by the spec runner.
#
#   make test-diff                   seeds 1..200
#   make test-diff DIFF_SEEDS=1000   seeds 1..1000
#   make test-diff DIFF_SEED=17      seed 17 only, its files kept in $(BUILD)/tests/diff/seed-17
#   make test-diff DIFF_WAT=x.wat    a module of your own (a failure being shrunk)
#   make test-diff-jit               the same seeds with the engine's JIT (runner
#                                    --jit); takes the same variables, files in
#                                    $(BUILD)/tests/diff-jit
#   make test-jit-diff               the JIT against the interpreter directly
#                                    (tests/diff/jit_vs_interp.c) on seeds
#                                    1..1000 (JIT_DIFF_SEEDS=N), exports called
#                                    with picked arguments; JIT_DIFF_ARGS for
#                                    the checker (-s SEED -r ROUNDS -f FUEL -n),
#                                    JIT_DIFF_FILES for more .wasm files,
#                                    JIT_DIFF_KEEP=1 to keep the modules

DIFF_DIR := $(BUILD)/tests/diff
DIFF_JIT_DIR := $(BUILD)/tests/diff-jit
DIFF_GEN := $(DIFF_DIR)/gen
DIFF_GEN_SRCS := $(sort $(wildcard tests/diff/gen*.c))
DIFF_GEN_OBJS := $(call obj,$(DIFF_GEN_SRCS))
WASM_INTERP ?= wasm-interp

# The objects come from the generic rule, whose .d files list gen.h.
-include $(DIFF_GEN_OBJS:.o=.d)

$(DIFF_GEN): $(DIFF_GEN_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(DIFF_GEN_OBJS)

DIFF_ENV = DIFF_SEEDS='$(DIFF_SEEDS)' DIFF_SEED='$(DIFF_SEED)' DIFF_WAT='$(DIFF_WAT)' \
	WAT2WASM='$(WAT2WASM)' WAST2JSON='$(WAST2JSON)' WASM_INTERP='$(WASM_INTERP)'

.PHONY: test-diff test-diff-jit
test-diff: $(DIFF_GEN) $(SPEC_RUNNER)
	$(call msg,DIFF,$(DIFF_DIR))
	$(Q)$(DIFF_ENV) tests/diff/run.sh $(DIFF_GEN) $(SPEC_RUNNER) $(DIFF_DIR)

# The same modules, loaded with wb_module_opts.jit. Its own directory, so
# that it can run beside test-diff (make -j); the references are made again
# (a few seconds) rather than shared, so either target runs alone.
test-diff-jit: $(DIFF_GEN) $(SPEC_RUNNER)
	$(call msg,DIFF,$(DIFF_JIT_DIR) (--jit))
	$(Q)$(DIFF_ENV) DIFF_RUNNER_ARGS=--jit DIFF_LABEL='diff (jit)' DIFF_TARGET=test-diff-jit \
		tests/diff/run.sh $(DIFF_GEN) $(SPEC_RUNNER) $(DIFF_JIT_DIR)

# The JIT against the interpreter with no reference in between: the same
# generated modules (gen -p also exports the functions that take
# parameters), each loaded both ways, every export called for a few rounds
# with arguments picked from edge values, every result, trap, fuel count and
# exported memory, global and table compared (tests/diff/jit_diff.c, shared
# with the fuzz target). The checker's line for every module goes to
# $(JIT_DIFF_DIR)/report.txt; make shows the differing ones and the summary.
JIT_DIFF_DIR := $(BUILD)/tests/jit-diff
JIT_DIFF_BIN := $(DIFF_DIR)/jit_vs_interp
JIT_DIFF_OBJS := $(call obj,tests/diff/jit_vs_interp.c tests/diff/jit_diff.c)
JIT_DIFF_SEEDS ?= 1000
JIT_DIFF_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
JIT_DIFF_ARGS ?=
JIT_DIFF_FILES ?=

-include $(JIT_DIFF_OBJS:.o=.d)

$(JIT_DIFF_BIN): $(JIT_DIFF_OBJS) $(STATIC_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(JIT_DIFF_OBJS) $(STATIC_LIB) $(LIBS)

# Write gen -p's module for every seed read from stdin into directory $(1)
# as $(2)SEED.wasm (the .wat beside it), $(JIT_DIFF_JOBS) at a time;
# $(3) makes gen's FUNCS argument from $$s (empty: gen's default).
define jit_diff_gen
	xargs -n 20 -P $(JIT_DIFF_JOBS) sh -c 'for s; do \
		$(DIFF_GEN) -p $$s $(3) > $(1)/$(2)$$s.wat && \
		$(WAT2WASM) $(1)/$(2)$$s.wat -o $(1)/$(2)$$s.wasm || \
		{ echo "gen or wat2wasm failed for seed $$s (a generator bug)" >&2; exit 255; }; \
	done' sh
endef

.PHONY: test-jit-diff
test-jit-diff: $(DIFF_GEN) $(JIT_DIFF_BIN)
	$(call msg,JITDIFF,$(JIT_DIFF_DIR) (seeds 1..$(JIT_DIFF_SEEDS)))
	$(Q)rm -rf $(JIT_DIFF_DIR) && mkdir -p $(JIT_DIFF_DIR)
	$(Q)seq 1 $(JIT_DIFF_SEEDS) | $(call jit_diff_gen,$(JIT_DIFF_DIR),jd,)
	$(Q)$(JIT_DIFF_BIN) $(JIT_DIFF_ARGS) $$(seq 1 $(JIT_DIFF_SEEDS) | \
		sed 's|.*|$(JIT_DIFF_DIR)/jd&.wasm|') $(JIT_DIFF_FILES) > $(JIT_DIFF_DIR)/report.txt; \
		rc=$$?; grep -v ': agree' $(JIT_DIFF_DIR)/report.txt; \
		if [ $$rc -ne 0 ]; then \
			echo "jit-vs-interp: modules (jdSEED.wat, .wasm) and report.txt kept in $(JIT_DIFF_DIR)"; \
			exit $$rc; \
		fi; \
		[ -n "$(JIT_DIFF_KEEP)" ] || rm -f $(JIT_DIFF_DIR)/jd*.wat $(JIT_DIFF_DIR)/jd*.wasm
