# SPDX-License-Identifier: MIT
# `make fuzz [FUZZ_SECONDS=60]`: build the module fuzzer with clang, libFuzzer,
# ASan and UBSan (engine sources compiled directly, apart from the main
# build), seed its corpus with the unit-test and spec .wasm files, and run it.
# It runs every input both interpreted and with the JIT and aborts when the
# two differ (fuzz/fuzz_module.c). `make fuzz-jit-seeds [FUZZ_JIT_SEED_CNT=300]`
# writes valid modules dense in code from the differential test's generator
# (tests/diff/gen.c) to a directory that `make fuzz` reads as a second corpus.
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

# The comparison of the two modes is tests/diff/jit_diff.c, which the
# deterministic check (make test-jit-diff) shares.
FUZZ_MODULE_SRCS := fuzz/fuzz_module.c tests/diff/jit_diff.c

$(FUZZ_BIN): $(FUZZ_MODULE_SRCS) tests/diff/jit_diff.h $(ENGINE_SRCS) \
		$(wildcard src/engine/*.h include/wasm-bpf/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/diff $(FUZZ_MODULE_SRCS) $(ENGINE_SRCS) -o $@ -lm

# Random bytes seldom make a valid module with much code in it: seeds
# 1..FUZZ_JIT_SEED_CNT of tests/diff/gen.c (with -p, so that functions with
# parameters are exported too), of 1 to 10 functions so that they stay small
# (under -max_len) and quick to run, assembled into their own directory. It is
# made again each time, like the other seeds (a few seconds); libFuzzer only
# reads it, adding what it finds to $(FUZZ_CORPUS).
FUZZ_JIT_SEEDS := $(FUZZ_DIR)/seeds_jit
FUZZ_JIT_SEED_CNT ?= 300

.PHONY: fuzz-jit-seeds
fuzz-jit-seeds: $(DIFF_GEN)
	$(call msg,GEN,$(FUZZ_JIT_SEEDS) (seeds 1..$(FUZZ_JIT_SEED_CNT)))
	$(Q)rm -rf $(FUZZ_JIT_SEEDS) && mkdir -p $(FUZZ_JIT_SEEDS)
	$(Q)seq 1 $(FUZZ_JIT_SEED_CNT) | $(call jit_diff_gen,$(FUZZ_JIT_SEEDS),gen,$$((s % 10 + 1)))
	$(Q)rm -f $(FUZZ_JIT_SEEDS)/*.wat

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN) $(UNIT_WASM) fuzz-jit-seeds
	$(Q)mkdir -p $(FUZZ_CORPUS)
	$(Q)cp -f $(UNIT_WASM) $(FUZZ_CORPUS)/
	$(Q)if [ -d $(BUILD)/spec ]; then \
		find $(BUILD)/spec -name '*.wasm' -size -64k -exec cp -f {} $(FUZZ_CORPUS)/ \; ; \
	fi
	$(call msg,FUZZ,$(FUZZ_BIN) for $(FUZZ_SECONDS)s)
	$(Q)$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_CORPUS) \
		$(FUZZ_JIT_SEEDS)

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
