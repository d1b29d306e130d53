# SPDX-License-Identifier: MIT
# End-to-end tests of the examples: builds $(CLI_BIN) and every example
# (make -C examples), then runs tests/e2e/run.sh as root. Each case in
# tests/e2e/cases/ starts an example, causes what it watches, checks its
# output, stops it with SIGINT and checks that it left nothing in the kernel.
#
#   make test-e2e                       every case
#   make test-e2e E2E_FILTER=bootstrap  cases whose name contains "bootstrap"
#   E2E_KEEP=1 make test-e2e            keep the logs (/tmp/e2e-logs.*)

E2E_FILTER ?=

.PHONY: test-e2e e2e-examples
e2e-examples: $(CLI_BIN)
	$(Q)$(MAKE) --no-print-directory -C examples WASM_BPF=$(abspath $(CLI_BIN))

test-e2e: $(CLI_BIN) e2e-examples
	$(Q)E2E_FILTER='$(E2E_FILTER)' WB_BIN=$(CLI_BIN) tests/e2e/run.sh
