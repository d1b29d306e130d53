# SPDX-License-Identifier: MIT
# Tests of the generators (`wasm-bpf gen types`, `wasm-bpf gen skeleton`):
# tests/gen/run.sh on tests/gen/progs/nasty.bpf.c (see tests/gen/README.md).
#
#   make test-gen                 golden diffs, compiles, layout checks, and
#                                 on a real kernel (root) a skeleton guest
#   make gen-golden               rewrite tests/gen/golden/ after a deliberate change

GEN_TEST_DIR := $(BUILD)/tests/gen
GEN_BPF_CLANG ?= clang
# nasty.bpf.c includes vmlinux.h, made from the running kernel's BTF.
GEN_CAN_BUILD := $(shell [ -r /sys/kernel/btf/vmlinux ] && echo yes)

$(GEN_TEST_DIR)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(GEN_TEST_DIR)/nasty.bpf.o: tests/gen/progs/nasty.bpf.c $(GEN_TEST_DIR)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(GEN_BPF_CLANG) -O2 -g -Wall -target bpf -D__TARGET_ARCH_x86 \
		-I$(GEN_TEST_DIR) -c $< -o $@

.SECONDARY: $(GEN_TEST_DIR)/vmlinux.h

GEN_TEST_DEPS := $(CLI_BIN) $(if $(GEN_CAN_BUILD),$(GEN_TEST_DIR)/nasty.bpf.o)

.PHONY: test-gen gen-golden
test-gen: $(GEN_TEST_DEPS)
	$(Q)mkdir -p $(GEN_TEST_DIR)
	$(Q)WASM_CC=$(WASM_CC) BPF_CLANG=$(GEN_BPF_CLANG) CC=$(CC) \
		tests/gen/run.sh $(CLI_BIN) $(GEN_TEST_DIR)

gen-golden: $(GEN_TEST_DEPS)
	$(Q)GEN_UPDATE=1 WASM_CC=$(WASM_CC) BPF_CLANG=$(GEN_BPF_CLANG) CC=$(CC) \
		tests/gen/run.sh $(CLI_BIN) $(GEN_TEST_DIR)
