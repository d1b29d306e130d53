#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regression tests: one guest per fixed bug that a suite elsewhere does not
# already cover. Usage: tests/regress/run.sh WASM_BPF_BINARY BUILD_DIR
set -u
BIN=$1
OUT=$2
pass=0 fail=0 skip=0

run_guest() {	# name, expected status
	local out rc
	out=$("$BIN" run "$OUT/$1.wasm" 2>&1)
	rc=$?
	if [ "$rc" -eq "$2" ] && grep -q "^$1: ok" <<< "$out"; then
		echo "PASS $1"; pass=$((pass + 1))
	else
		echo "FAIL $1: status $rc, want $2: $(tail -2 <<< "$out")"; fail=$((fail + 1))
	fi
}

if [ "$(id -u)" = 0 ]; then
	run_guest corrupt_object 0
	run_guest corrupt_load 0
else
	echo "SKIP corrupt_object: needs root (the host opens eBPF objects)"; skip=$((skip + 1))
	echo "SKIP corrupt_load: needs root (the host loads eBPF objects)"; skip=$((skip + 1))
fi

# `wasm-bpf inspect` opens the objects of the module it is asked about, this
# corrupt one included: it must say so, not crash (it crashed until it, too,
# opened them in a child first). No kernel needed.
inspect_corrupt() {
	local out rc
	out=$("$BIN" inspect "$OUT/corrupt_object.wasm" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "cannot inspect: not a valid eBPF object: libbpf crashed in a trial open" <<< "$out" &&
	   grep -q "policy: DENIED (not inspectable)" <<< "$out"; then
		echo "PASS inspect_corrupt_object"; pass=$((pass + 1))
	else
		echo "FAIL inspect_corrupt_object: status $rc, want 1: $(tail -3 <<< "$out")"; fail=$((fail + 1))
	fi
}
inspect_corrupt

echo "regress: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
