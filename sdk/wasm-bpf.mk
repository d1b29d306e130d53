# SPDX-License-Identifier: MIT
# Build fragment for wasm-bpf applications. An application's Makefile names
# its parts and includes this file:
#
#     APP := bootstrap                 # APP.bpf.c and APP.c (and APP.h) in this folder
#     SRCS := extra.c                  # optional: more guest sources
#     WASM_BPF_ROOT := ../..           # where this repository is
#     include $(WASM_BPF_ROOT)/sdk/wasm-bpf.mk
#
# It builds, into $(OUT) (default: ./build):
#   vmlinux.h        from /sys/kernel/btf/vmlinux (cached; VMLINUX_BTF= to change)
#   APP.bpf.o        clang -target bpf, CO-RE, BTF kept, DWARF stripped
#   APP.skel.h       wasm-bpf gen skeleton (object bytes embedded)
#   APP.wasm.h       wasm-bpf gen types (shared structs, wasm32 = BPF layout)
#   APP.wasm         clang --target=wasm32-wasi, --export-table, wasm-opt -Oz, stripped
# `make` builds APP.wasm; `make run ARGS=...` runs it; `make clean`.

WASM_BPF_ROOT ?= $(dir $(lastword $(MAKEFILE_LIST)))..
OUT ?= build
WASM_BPF ?= $(WASM_BPF_ROOT)/build/wasm-bpf
SDK_DIR := $(WASM_BPF_ROOT)/sdk/c
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
WASM_OPT ?= wasm-opt
BPFTOOL ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/riscv64/riscv/')
BPF_CFLAGS ?= -O2 -g -Wall
WASM_CFLAGS ?= -O2 -Wall
WASM_LDFLAGS ?= -Wl,--export-table -Wl,--strip-all
SRCS ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all run clean
all: $(OUT)/$(APP).wasm

$(OUT):
	$(Q)mkdir -p $@

$(OUT)/vmlinux.h: | $(OUT)
	@printf '  %-6s %s\n' GEN $@
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(OUT)/$(APP).bpf.o: $(APP).bpf.c $(wildcard $(APP).h) $(OUT)/vmlinux.h
	@printf '  %-6s %s\n' BPF $@
	$(Q)$(CLANG) $(BPF_CFLAGS) -target bpf -D__TARGET_ARCH_$(ARCH) -I$(OUT) -I. \
		-c $(APP).bpf.c -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(WASM_BPF):
	$(MAKE) -C $(WASM_BPF_ROOT) all

$(OUT)/$(APP).skel.h: $(OUT)/$(APP).bpf.o | $(WASM_BPF)
	@printf '  %-6s %s\n' GEN $@
	$(Q)$(WASM_BPF) gen skeleton $< --name $(APP)_bpf -o $@

$(OUT)/$(APP).wasm.h: $(OUT)/$(APP).bpf.o | $(WASM_BPF)
	@printf '  %-6s %s\n' GEN $@
	$(Q)$(WASM_BPF) gen types $< -o $@

$(OUT)/$(APP).wasm: $(APP).c $(SRCS) $(OUT)/$(APP).skel.h $(OUT)/$(APP).wasm.h \
		$(wildcard $(APP).h) $(wildcard $(SDK_DIR)/*.h)
	@printf '  %-6s %s\n' WASM $@
	$(Q)$(CLANG) --target=wasm32-wasi $(WASM_CFLAGS) -I$(OUT) -I$(SDK_DIR) -I. \
		$(APP).c $(SRCS) $(WASM_LDFLAGS) -o $@.tmp.wasm
	$(Q)if command -v $(WASM_OPT) >/dev/null; then \
		$(WASM_OPT) -Oz --strip-debug --strip-producers $@.tmp.wasm -o $@; \
		rm -f $@.tmp.wasm; else mv $@.tmp.wasm $@; fi
	@printf '  %-6s %s (%s bytes)\n' SIZE $@ "$$(wc -c < $@)"

run: $(OUT)/$(APP).wasm
	$(WASM_BPF) run $(OUT)/$(APP).wasm $(ARGS)

clean:
	rm -rf $(OUT)
