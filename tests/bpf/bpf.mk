# SPDX-License-Identifier: MIT
# The eBPF host interface tests: eBPF objects (tests/bpf/progs) embedded into
# wasm32-wasi guests (tests/bpf/guest) that call the wasm_bpf imports, a
# native uprobe target, and tests/bpf/run.sh which runs them with
# $(CLI_BIN) as root and checks that nothing is left in the kernel.
#
#   make test-bpf                     build and run everything (root)
#   make test-bpf BPF_FILTER=maps     only tests whose name contains "maps"
#   make SANITIZE=1 test-bpf          the same against build/san/wasm-bpf

BPF_CLANG ?= clang
BPF_FILTER ?=
BPFT_DIR := $(BUILD)/tests/bpf

BPFT_PROGS := $(sort $(basename $(basename $(notdir $(wildcard tests/bpf/progs/*.bpf.c)))))
BPFT_GUESTS := $(sort $(basename $(notdir $(wildcard tests/bpf/guest/*.c))))
BPFT_OBJS := $(BPFT_PROGS:%=$(BPFT_DIR)/%.bpf.o)
BPFT_EMBEDS := $(BPFT_PROGS:%=$(BPFT_DIR)/%.bpf.h)
BPFT_WASMS := $(BPFT_GUESTS:%=$(BPFT_DIR)/%.wasm)
BPFT_TARGET := $(BPFT_DIR)/uprobe_target
BPFT_TWO_HOSTS := $(BPFT_DIR)/two_hosts
BPFT_CORE_BTF := $(BPFT_DIR)/core_btf
BPFT_ALL := $(BPFT_WASMS) $(BPFT_TARGET) $(BPFT_TWO_HOSTS) $(BPFT_CORE_BTF) $(BPFT_OBJS)

# Build only where the tests can run: as root, with kernel BTF.
BPFT_CAN_RUN := $(shell [ "$$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ] && echo yes)

$(BPFT_DIR)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

# -mcpu=v3: atomic fetch-and-add with a used result.
$(BPFT_DIR)/%.bpf.o: tests/bpf/progs/%.bpf.c tests/bpf/progs/wbt_common.h $(BPFT_DIR)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(BPF_CLANG) -O2 -g -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
		-I$(BPFT_DIR) -Itests/bpf/progs -c $< -o $@

# The object as a C array `<name>_bpf_o`, writable so that a guest can patch .rodata.
$(BPFT_DIR)/%.bpf.h: $(BPFT_DIR)/%.bpf.o
	$(call msg,EMBED,$@)
	$(Q){ printf '/* Generated from %s by tests/bpf/bpf.mk. */\n' '$<'; \
	  printf 'static unsigned char %s_bpf_o[] __attribute__((aligned(8))) = {\n' '$*'; \
	  od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  printf '};\n'; } > $@.tmp && mv $@.tmp $@

$(BPFT_DIR)/%.wasm: tests/bpf/guest/%.c tests/bpf/guest/wasm_bpf.h tests/bpf/progs/wbt_common.h \
		$(BPFT_EMBEDS)
	$(call msg,WASM,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -O2 -Wall -Wno-unused-function \
		-Itests/bpf/guest -Itests/bpf/progs -I$(BPFT_DIR) \
		-Wl,--export-table $< -o $@

# A reactor (no _start): native/two_hosts.c instantiates it twice in one process.
$(BPFT_DIR)/two_instances.wasm: tests/bpf/guest/two_instances.c tests/bpf/guest/wasm_bpf.h \
		$(BPFT_EMBEDS)
	$(call msg,WASM,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wno-unused-function \
		-Itests/bpf/guest -Itests/bpf/progs -I$(BPFT_DIR) -Wl,--export-table $< -o $@

# An embedder with two instances, each with its own eBPF host.
$(BPFT_TWO_HOSTS): tests/bpf/native/two_hosts.c $(STATIC_LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIB) $(LIBS)

# The minimized CO-RE target BTF against the whole kernel BTF, on the objects
# of progs/ (and those of the examples and benchmarks, if built): run.sh.
$(BPFT_CORE_BTF): tests/bpf/native/core_btf.c src/bpf/core_btf.h $(STATIC_LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STATIC_LIB) $(LIBS)

# The uprobe target: a plain native program with a function not to be inlined.
$(BPFT_TARGET): tests/bpf/target/uprobe_target.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O1 -g -Wall -o $@ $<

# Keep the objects and embedded headers between runs.
.SECONDARY: $(BPFT_OBJS) $(BPFT_EMBEDS) $(BPFT_DIR)/vmlinux.h

.PHONY: test-bpf bpf-tests
bpf-tests: $(BPFT_ALL)

ifeq ($(BPFT_CAN_RUN),yes)
test-bpf: $(BPFT_ALL)
endif
test-bpf: $(CLI_BIN)
	$(Q)WB_BIN=$(CLI_BIN) WBT_DIR=$(BPFT_DIR) BPF_FILTER='$(BPF_FILTER)' \
		bash tests/bpf/run.sh
