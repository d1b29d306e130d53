# SPDX-License-Identifier: MIT
# `make fuzz [FUZZ_SECONDS=60]`: build the module fuzzer with clang, libFuzzer,
# ASan and UBSan (engine sources compiled directly, apart from the main
# build), seed its corpus with the unit-test and spec .wasm files, and run it.
# `make fuzz-core-btf [FUZZ_SECONDS=60]`: the same for the minimized CO-RE
# target BTF (src/bpf/core_btf.c against the running kernel's BTF), seeded
# with every eBPF object the builds of tests, examples and benchmarks left.
# `make fuzz-inspect [FUZZ_SECONDS=60]`: the same for the inspection of eBPF
# objects (src/bpf/inspect.c and the policy check on its report), with the
# same seeds. `make fuzz-bpf-load [FUZZ_SECONDS=60]` (root): the host's open,
# check, load and close of a guest's object, the kernel's verifier included.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_BIN := $(FUZZ_DIR)/fuzz_module
FUZZ_CORPUS := $(FUZZ_DIR)/corpus
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -ffp-contract=off \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Iinclude -Isrc -D_GNU_SOURCE -DWB_VERSION=\"$(VERSION)\" $(WARN)

$(FUZZ_BIN): fuzz/fuzz_module.c $(ENGINE_SRCS) $(wildcard src/engine/*.h include/wasm-bpf/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_module.c $(ENGINE_SRCS) -o $@ -lm

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN) $(UNIT_WASM)
	$(Q)mkdir -p $(FUZZ_CORPUS)
	$(Q)cp -f $(UNIT_WASM) $(FUZZ_CORPUS)/
	$(Q)if [ -d $(BUILD)/spec ]; then \
		find $(BUILD)/spec -name '*.wasm' -size -64k -exec cp -f {} $(FUZZ_CORPUS)/ \; ; \
	fi
	$(call msg,FUZZ,$(FUZZ_BIN) for $(FUZZ_SECONDS)s)
	$(Q)$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_CORPUS)

# Seed corpus directory $(1) with every eBPF object the builds of tests,
# examples and benchmarks left, named by their path (tests and examples share
# some file names).
define fuzz_bpf_seeds
	$(Q)mkdir -p $(1)
	$(Q){ find $(BUILD)/tests $(BUILD)/bench/ebpf -name '*.bpf.o'; \
	  find examples -path 'examples/*/build/*.bpf.o'; } 2>/dev/null | while read -r f; do \
		cp -f "$$f" "$(1)/$$(echo "$$f" | tr / _)"; done
endef

FUZZ_CB_BIN := $(FUZZ_DIR)/fuzz_core_btf
FUZZ_CB_CORPUS := $(FUZZ_DIR)/corpus_core_btf
# The objects whose BTF holds a vmlinux.h (tests/bpf/core.bpf.o, ...) are 600-700 KB.
FUZZ_CB_MAX_LEN ?= 1048576

$(FUZZ_CB_BIN): fuzz/fuzz_core_btf.c src/bpf/core_btf.c src/bpf/core_btf.h
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_core_btf.c src/bpf/core_btf.c -o $@ \
		-lbpf -lelf -lz

.PHONY: fuzz-core-btf fuzz-core-btf-build
fuzz-core-btf-build: $(FUZZ_CB_BIN)

fuzz-core-btf: $(FUZZ_CB_BIN)
	$(call fuzz_bpf_seeds,$(FUZZ_CB_CORPUS))
	$(call msg,FUZZ,$(FUZZ_CB_BIN) for $(FUZZ_SECONDS)s)
	$(Q)$(FUZZ_CB_BIN) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=$(FUZZ_CB_MAX_LEN) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/core-btf- $(FUZZ_CB_CORPUS)

FUZZ_IN_BIN := $(FUZZ_DIR)/fuzz_inspect
FUZZ_IN_CORPUS := $(FUZZ_DIR)/corpus_inspect

# The files under test are compiled instrumented; what else they call (the
# host's error and log functions) comes unchanged from the static library.
FUZZ_IN_SRCS := src/bpf/inspect.c src/bpf/policy.c src/bpf/trial.c

$(FUZZ_IN_BIN): fuzz/fuzz_inspect.c $(FUZZ_IN_SRCS) $(STATIC_LIB)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_inspect.c $(FUZZ_IN_SRCS) $(STATIC_LIB) -o $@ $(LIBS)

.PHONY: fuzz-inspect fuzz-inspect-build
fuzz-inspect-build: $(FUZZ_IN_BIN)

fuzz-inspect: $(FUZZ_IN_BIN)
	$(call fuzz_bpf_seeds,$(FUZZ_IN_CORPUS))
	$(call msg,FUZZ,$(FUZZ_IN_BIN) for $(FUZZ_SECONDS)s)
	$(Q)LSAN_OPTIONS=suppressions=fuzz/lsan.supp $(FUZZ_IN_BIN) -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -rss_limit_mb=2048 \
		-max_len=$(FUZZ_CB_MAX_LEN) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/inspect- $(FUZZ_IN_CORPUS)

FUZZ_BL_BIN := $(FUZZ_DIR)/fuzz_bpf_load
FUZZ_BL_CORPUS := $(FUZZ_DIR)/corpus_bpf_load
FUZZ_BL_SRCS := src/bpf/object.c src/bpf/trial.c src/bpf/inspect.c src/bpf/policy.c \
	src/bpf/core_btf.c

$(FUZZ_BL_BIN): fuzz/fuzz_bpf_load.c $(FUZZ_BL_SRCS) $(STATIC_LIB)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_bpf_load.c $(FUZZ_BL_SRCS) $(STATIC_LIB) -o $@ $(LIBS)

.PHONY: fuzz-bpf-load fuzz-bpf-load-build
fuzz-bpf-load-build: $(FUZZ_BL_BIN)

fuzz-bpf-load: $(FUZZ_BL_BIN)
	$(call fuzz_bpf_seeds,$(FUZZ_BL_CORPUS))
	$(call msg,FUZZ,$(FUZZ_BL_BIN) for $(FUZZ_SECONDS)s)
	$(Q)LSAN_OPTIONS=suppressions=fuzz/lsan.supp $(FUZZ_BL_BIN) -max_total_time=$(FUZZ_SECONDS) \
		-timeout=30 -rss_limit_mb=4096 \
		-max_len=$(FUZZ_CB_MAX_LEN) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/bpf-load- $(FUZZ_BL_CORPUS)
