# SPDX-License-Identifier: MIT
# Regression tests (tests/regress/run.sh): guests for fixed bugs, with the
# inputs that triggered them in tests/regress/data/.
REGRESS_DIR := $(BUILD)/tests/regress
REGRESS_DATA := $(wildcard tests/regress/data/*.o)
REGRESS_GUESTS := $(patsubst tests/regress/%.c,$(REGRESS_DIR)/%.wasm,$(wildcard tests/regress/*.c))

$(REGRESS_DIR)/%.h: tests/regress/data/%.o
	$(call msg,EMBED,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q){ printf 'static unsigned char %s_o[] __attribute__((aligned(8))) = {\n' '$*'; \
	  od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  printf '};\n'; } > $@.tmp && mv $@.tmp $@

$(REGRESS_DIR)/%.wasm: tests/regress/%.c $(REGRESS_DATA:tests/regress/data/%.o=$(REGRESS_DIR)/%.h)
	$(call msg,WASM,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -O2 -Wall -Wno-unused-function -Itests/bpf/guest \
		-I$(REGRESS_DIR) -Wl,--export-table $< -o $@

# Keep the embedded headers (make would delete them as intermediates).
.SECONDARY: $(REGRESS_DATA:tests/regress/data/%.o=$(REGRESS_DIR)/%.h)

.PHONY: test-regress
test-regress: $(CLI_BIN) $(REGRESS_GUESTS)
	$(Q)tests/regress/run.sh $(CLI_BIN) $(REGRESS_DIR)
