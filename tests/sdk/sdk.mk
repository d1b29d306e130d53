# SPDX-License-Identifier: MIT
# Guests written against the original wasm-bpf SDK API, built with sdk/c and
# run on the kernel (tests/sdk/run.sh; root).
.PHONY: test-sdk
test-sdk: $(CLI_BIN)
	$(Q)tests/sdk/run.sh $(CLI_BIN)
