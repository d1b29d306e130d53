# SPDX-License-Identifier: MIT
# The guest SDK's tests (tests/sdk/run.sh): its allocator, run by wasm-bpf
# (tests/sdk/malloc, built here against sdk/c/wasm-bpf-malloc.c at -Oz, as the
# fragment builds it, and at -O2, and against wasi-libc's dlmalloc as a check
# of the tests),
# and guests written against the original wasm-bpf SDK API, built with sdk/c
# and run on the kernel (root).
SDK_TEST_DIR := $(BUILD)/tests/sdk
SDK_TEST_CFLAGS := -std=gnu11 -O2 -fno-builtin $(WARN)

# The allocator at -Oz, as sdk/wasm-bpf.mk builds it, and at -O2.
$(SDK_TEST_DIR)/wasm-bpf-malloc.o: sdk/c/wasm-bpf-malloc.c tests/sdk/sdk.mk
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -std=gnu11 -Oz $(WARN) -c $< -o $@

$(SDK_TEST_DIR)/wasm-bpf-malloc-O2.o: sdk/c/wasm-bpf-malloc.c tests/sdk/sdk.mk
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASM_CC) --target=wasm32-wasi -std=gnu11 -O2 $(WARN) -c $< -o $@

$(SDK_TEST_DIR)/test_malloc.wasm: tests/sdk/malloc/test_malloc.c $(SDK_TEST_DIR)/wasm-bpf-malloc.o
	$(call msg,WASMCC,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi $(SDK_TEST_CFLAGS) $^ -o $@

$(SDK_TEST_DIR)/test_malloc_O2.wasm: tests/sdk/malloc/test_malloc.c \
		$(SDK_TEST_DIR)/wasm-bpf-malloc-O2.o
	$(call msg,WASMCC,$@)
	$(Q)$(WASM_CC) --target=wasm32-wasi $(SDK_TEST_CFLAGS) $^ -o $@

$(SDK_TEST_DIR)/test_malloc_libc.wasm: tests/sdk/malloc/test_malloc.c tests/sdk/sdk.mk
	$(call msg,WASMCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASM_CC) --target=wasm32-wasi $(SDK_TEST_CFLAGS) -DLIBC_MALLOC $< -o $@

.PHONY: test-sdk
test-sdk: $(CLI_BIN) $(SDK_TEST_DIR)/test_malloc.wasm $(SDK_TEST_DIR)/test_malloc_O2.wasm \
		$(SDK_TEST_DIR)/test_malloc_libc.wasm
	$(Q)tests/sdk/run.sh $(CLI_BIN) $(SDK_TEST_DIR)
