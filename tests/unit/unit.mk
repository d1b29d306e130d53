# SPDX-License-Identifier: MIT
# Unit tests of the embedding API (cmocka). Fixtures are .wat files under
# tests/unit/wat/, assembled with wat2wasm into $(BUILD)/tests/unit/; those
# named invalid_*.wat are assembled without validation on purpose.

UNIT_DIR := $(BUILD)/tests/unit
UNIT_WAT := $(sort $(wildcard tests/unit/wat/*.wat))
UNIT_WASM := $(patsubst tests/unit/wat/%.wat,$(UNIT_DIR)/%.wasm,$(UNIT_WAT))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(UNIT_SRCS))

$(UNIT_DIR)/%.wasm: tests/unit/wat/%.wat
	$(call msg,WAT,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WAT2WASM) --debug-names $(if $(filter invalid_%,$*),--no-check) $< -o $@

$(UNIT_DIR)/test_%: tests/unit/test_%.c $(STATIC_LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -DUNIT_WASM_DIR='"$(UNIT_DIR)"' -MMD -MP $< -o $@ \
		$(ALL_LDFLAGS) $(STATIC_LIB) -lcmocka $(LIBS)

-include $(UNIT_BINS:=.d)

.PHONY: test-unit unit-fixtures
unit-fixtures: $(UNIT_WASM)

test-unit: $(UNIT_BINS) $(UNIT_WASM)
	$(Q)rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc
