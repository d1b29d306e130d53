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
#   wasm-bpf-malloc.o  the SDK's allocator (see MALLOC below)
# `make` builds APP.wasm; `make run ARGS=...` runs it; `make clean`.
#
# Options, set in the application's Makefile before the include:
#   MALLOC := small        (default) the SDK's compact allocator,
#                          sdk/c/wasm-bpf-malloc.c, about 1.3 KB of code
#   MALLOC := libc         wasi-libc's dlmalloc instead (about 7 KB larger)
#   PRINTF_FLOAT := 1      (default) printf and scanf with floating point
#   PRINTF_FLOAT := 0      without it: about 5 KB smaller, but a %f, %e, %g or
#                          %a conversion ends the program with a message
#                          ("Support for floating-point formatting is
#                          currently disabled"). Only for applications that
#                          never format or scan floating-point numbers.
#   BULK_MEMORY := 0       (default) Wasm 1.0 memory instructions only
#   BULK_MEMORY := 1       compile the application with -mbulk-memory: its
#                          memcpy/memmove/memset calls become memory.copy and
#                          memory.fill, which wasm-bpf runs as one host call
#                          each instead of interpreting wasi-libc's C loops
#                          (3.5x faster on the memops benchmark). The module
#                          then needs an engine with bulk memory (Wasm 2.0;
#                          wasm-bpf and WAMR have it). Copies inside wasi-libc
#                          itself (printf, ...) are not affected.
#   WASM_CFLAGS (-O2), SDK_CFLAGS (-Oz, for the allocator), WASM_LDFLAGS,
#   WASM_OPT_FLAGS, BPF_CFLAGS replace the default flags.
# wasm-opt's --low-memory-unused assumes wasm-ld's default layout, where
# nothing lives below address 1024.

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
SDK_CFLAGS ?= -Oz -Wall
WASM_LDFLAGS ?= -Wl,--export-table -Wl,--strip-all
WASM_OPT_FLAGS ?= -Oz --converge --low-memory-unused --strip-debug --strip-producers
SRCS ?=
MALLOC ?= small
PRINTF_FLOAT ?= 1
BULK_MEMORY ?= 0

ifeq ($(strip $(MALLOC)),small)
SDK_OBJS := $(OUT)/wasm-bpf-malloc.o
else ifeq ($(strip $(MALLOC)),libc)
SDK_OBJS :=
else
$(error MALLOC must be small or libc, not "$(MALLOC)")
endif
ifeq ($(strip $(PRINTF_FLOAT)),0)
SDK_LIBS := -lc-printscan-no-floating-point
else ifeq ($(strip $(PRINTF_FLOAT)),1)
SDK_LIBS :=
else
$(error PRINTF_FLOAT must be 1 or 0, not "$(PRINTF_FLOAT)")
endif

# With bulk memory, clang 14 makes wasi-libc's _Thread_local errno real TLS,
# which it compiles only with the local-exec model; and at an optimizing link
# it runs wasm-opt itself, without the feature, which then rejects the module.
# So such applications are compiled and linked in two steps, and our own
# wasm-opt run gets the feature.
ifeq ($(strip $(BULK_MEMORY)),1)
WASM_FEATURES := -mbulk-memory -ftls-model=local-exec
WASM_OPT_FEATURES := --enable-bulk-memory
else ifeq ($(strip $(BULK_MEMORY)),0)
WASM_FEATURES :=
WASM_OPT_FEATURES :=
else
$(error BULK_MEMORY must be 0 or 1, not "$(BULK_MEMORY)")
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all run clean FORCE
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

# The options are recorded in a file, so that changing one rebuilds the module.
$(OUT)/wasm-flags: FORCE | $(OUT)
	$(Q)echo '$(WASM_CFLAGS) | $(SDK_CFLAGS) | $(WASM_LDFLAGS) | $(WASM_OPT_FLAGS) |' \
		'$(SDK_OBJS) $(SDK_LIBS) | $(WASM_FEATURES)' > $@.tmp; \
		cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# SDK code is built for size whatever WASM_CFLAGS says (the allocator at -Oz is
# still faster than dlmalloc).
$(OUT)/wasm-bpf-malloc.o: $(SDK_DIR)/wasm-bpf-malloc.c $(OUT)/wasm-flags | $(OUT)
	@printf '  %-6s %s\n' CC $@
	$(Q)$(CLANG) --target=wasm32-wasi $(SDK_CFLAGS) -c $< -o $@

$(OUT)/$(APP).wasm: $(APP).c $(SRCS) $(SDK_OBJS) $(OUT)/$(APP).skel.h $(OUT)/$(APP).wasm.h \
		$(wildcard $(APP).h) $(wildcard $(SDK_DIR)/*.h) $(OUT)/wasm-flags
	@printf '  %-6s %s\n' WASM $@
ifeq ($(strip $(BULK_MEMORY)),1)
	$(Q)mkdir -p $(OUT)/obj && objs= && for src in $(APP).c $(SRCS); do \
		obj=$(OUT)/obj/$$(basename $$src .c).o; \
		$(CLANG) --target=wasm32-wasi $(WASM_CFLAGS) $(WASM_FEATURES) -I$(OUT) \
			-I$(SDK_DIR) -I. -c $$src -o $$obj || exit 1; \
		objs="$$objs $$obj"; \
	done && $(CLANG) --target=wasm32-wasi $$objs $(SDK_OBJS) $(WASM_LDFLAGS) $(SDK_LIBS) \
		-o $@.tmp.wasm
else
	$(Q)$(CLANG) --target=wasm32-wasi $(WASM_CFLAGS) -I$(OUT) -I$(SDK_DIR) -I. \
		$(APP).c $(SRCS) $(SDK_OBJS) $(WASM_LDFLAGS) $(SDK_LIBS) -o $@.tmp.wasm
endif
	$(Q)if command -v $(WASM_OPT) >/dev/null; then \
		$(WASM_OPT) $(WASM_OPT_FLAGS) $(WASM_OPT_FEATURES) $@.tmp.wasm -o $@; \
		rm -f $@.tmp.wasm; else mv $@.tmp.wasm $@; fi
	@printf '  %-6s %s (%s bytes)\n' SIZE $@ "$$(wc -c < $@)"

run: $(OUT)/$(APP).wasm
	$(WASM_BPF) run $(OUT)/$(APP).wasm $(ARGS)

clean:
	rm -rf $(OUT)
