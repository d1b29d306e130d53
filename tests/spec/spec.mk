# SPDX-License-Identifier: MIT
# The WebAssembly spec suite: build the runner, convert each .wast of SPEC_DIR
# with wast2json into $(BUILD)/spec/<name>/ (again only when the .wast is
# newer), and run every file. See tests/spec/README.md.
#
#   make test-spec                          the whole 2.0 core suite
#   make test-spec SPEC_FILTER=i32          only files whose name contains i32
#   make test-spec SPEC_ARGS=-v             list skips and message mismatches
#   make test-spec SPEC_DIR=/path/to/wast   another suite directory
#   make test-spec-jit                      the same with every module loaded
#                                           with the JIT (runner --jit); takes
#                                           SPEC_FILTER, SPEC_ARGS and SPEC_DIR too

SPEC_DIR ?= ../shared/wasm-testsuite/core-2.0
SPEC_FILTER ?=
SPEC_ARGS ?=

SPEC_RUNNER := $(BUILD)/tests/spec/spec_runner
SPEC_RUNNER_SRCS := $(sort $(wildcard tests/spec/*.c))
SPEC_RUNNER_OBJS := $(call obj,$(SPEC_RUNNER_SRCS))
JSONC_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSONC_LIBS := $(or $(shell pkg-config --libs json-c 2>/dev/null),-ljson-c)

-include $(SPEC_RUNNER_OBJS:.o=.d)

# More specific than the generic object rule, so it wins for these sources.
$(BUILD)/obj/tests/spec/%.o: tests/spec/%.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(JSONC_CFLAGS) -MMD -MP -c $< -o $@

$(SPEC_RUNNER): $(SPEC_RUNNER_OBJS) $(STATIC_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(SPEC_RUNNER_OBJS) $(STATIC_LIB) $(JSONC_LIBS) $(LIBS)

SPEC_NAMES := $(sort $(basename $(notdir $(wildcard $(SPEC_DIR)/*.wast))))
ifneq ($(SPEC_FILTER),)
SPEC_NAMES := $(strip $(foreach n,$(SPEC_NAMES),$(if $(findstring $(SPEC_FILTER),$(n)),$(n))))
SPEC_ARGS += --filter $(SPEC_FILTER)
endif
SPEC_JSONS := $(foreach n,$(SPEC_NAMES),$(BUILD)/spec/$(n)/$(n).json)

# A file wast2json cannot convert leaves its message in <name>.err instead of
# a JSON; the runner reports it by name, so the rule itself does not fail.
define spec_convert_rule
$(BUILD)/spec/$(1)/$(1).json: $(SPEC_DIR)/$(1).wast
	$$(call msg,WAST,$(1).wast)
	$$(Q)mkdir -p $$(@D) && rm -f $$(@D)/$(1).*.wasm $$(@D)/$(1).*.wat $$(@D)/$(1).err
	$$(Q)$$(WAST2JSON) $$< -o $$@ 2>$$(@D)/$(1).log || { \
		st=$$$$?; rm -f $$@; \
		{ cat $$(@D)/$(1).log; echo "(exit status $$$$st)"; } > $$(@D)/$(1).err; }
endef
$(foreach n,$(SPEC_NAMES),$(eval $(call spec_convert_rule,$(n))))

.PHONY: test-spec test-spec-jit spec-runner
spec-runner: $(SPEC_RUNNER)

# test-spec-jit is the same run with the runner's --jit, which loads every
# module with wb_module_opts.jit; its summary line reads "spec (jit): ...".
ifeq ($(wildcard $(SPEC_DIR)/.),)
test-spec test-spec-jit:
	@echo "$@: spec test directory '$(SPEC_DIR)' does not exist;" \
		"get the suite there or set SPEC_DIR=/path/to/wast-files" >&2; exit 1
else ifeq ($(SPEC_NAMES),)
test-spec test-spec-jit:
	@echo "$@: no .wast files$(if $(SPEC_FILTER), matching '$(SPEC_FILTER)')" \
		"in '$(SPEC_DIR)'" >&2; exit 1
else
test-spec: $(SPEC_RUNNER) $(SPEC_JSONS)
	$(call msg,SPEC,$(SPEC_DIR))
	$(Q)$(SPEC_RUNNER) $(SPEC_ARGS) $(SPEC_JSONS)

test-spec-jit: $(SPEC_RUNNER) $(SPEC_JSONS)
	$(call msg,SPEC,$(SPEC_DIR) (--jit))
	$(Q)$(SPEC_RUNNER) --jit $(SPEC_ARGS) $(SPEC_JSONS)
endif
