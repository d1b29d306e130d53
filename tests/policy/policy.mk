# SPDX-License-Identifier: MIT
# The eBPF inspection and policy tests: crafted eBPF objects
# (tests/policy/progs), a unit test of the inspection and policy modules
# (test_policy.c, no kernel needed), guests that embed the objects
# (tests/policy/guest), a JSON flattener for checking `inspect -j`, and
# tests/policy/run.sh which runs everything with $(CLI_BIN).
#
#   make test-policy                      build and run (root for the kernel parts)
#   make test-policy POLICY_FILTER=attach only tests whose name contains "attach"
#
# Needs bpf.mk (for vmlinux.h) to be included first.

POLICY_FILTER ?=
POLT_DIR := $(BUILD)/tests/policy

POLT_PROGS := $(sort $(basename $(basename $(notdir $(wildcard tests/policy/progs/*.bpf.c)))))
POLT_GUESTS := $(sort $(basename $(notdir $(wildcard tests/policy/guest/*.c))))
POLT_OBJS := $(POLT_PROGS:%=$(POLT_DIR)/%.bpf.o)
POLT_EMBEDS := $(POLT_PROGS:%=$(POLT_DIR)/%.bpf.h)
POLT_WASMS := $(POLT_GUESTS:%=$(POLT_DIR)/%.wasm)
POLT_TOOLS := $(POLT_DIR)/test_policy $(POLT_DIR)/jflat

$(POLT_DIR)/%.bpf.o: tests/policy/progs/%.bpf.c $(BPFT_DIR)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BPF_CLANG) -O2 -g -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
		-I$(BPFT_DIR) -c $< -o $@

$(POLT_DIR)/%.bpf.h: $(POLT_DIR)/%.bpf.o
	$(call msg,EMBED,$@)
	$(Q){ printf '/* Generated from %s by tests/policy/policy.mk. */\n' '$<'; \
	  printf 'static unsigned char %s_bpf_o[] __attribute__((aligned(8))) = {\n' '$*'; \
	  od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  printf '};\n'; } > $@.tmp && mv $@.tmp $@

$(POLT_DIR)/%.wasm: tests/policy/guest/%.c tests/bpf/guest/wasm_bpf.h $(POLT_EMBEDS)
	$(call msg,WASM,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -O2 -Wall -Wno-unused-function \
		-Itests/bpf/guest -I$(POLT_DIR) -Wl,--export-table $< -o $@

$(POLT_DIR)/test_policy: tests/policy/test_policy.c $(STATIC_LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ $(ALL_LDFLAGS) $(STATIC_LIB) $(LIBS)

$(POLT_DIR)/jflat: tests/policy/jflat.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ $(ALL_LDFLAGS) -ljson-c

.SECONDARY: $(POLT_OBJS) $(POLT_EMBEDS)

.PHONY: test-policy policy-tests
policy-tests: $(POLT_WASMS) $(POLT_TOOLS)

# The objects need vmlinux.h from the running kernel's BTF; without it run.sh skips.
POLT_CAN_BUILD := $(shell [ -r /sys/kernel/btf/vmlinux ] && echo yes)

ifeq ($(POLT_CAN_BUILD),yes)
test-policy: $(POLT_WASMS) $(POLT_TOOLS)
endif
test-policy: $(CLI_BIN)
	$(Q)WB_BIN=$(CLI_BIN) WBP_DIR=$(POLT_DIR) POLICY_FILTER='$(POLICY_FILTER)' \
		bash tests/policy/run.sh
