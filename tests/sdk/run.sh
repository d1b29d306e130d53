#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the SDK allocator's tests (tests/sdk/malloc, built by tests/sdk/sdk.mk
# into TEST_DIR), then the guests written against the original wasm-bpf SDK's
# API only (tests/sdk/compat_*): they must build unchanged with sdk/c and the
# generated skeletons, and work on the real kernel. The latter need root.
# Usage: tests/sdk/run.sh WASM_BPF_BINARY TEST_DIR
set -u
BIN=$(realpath "$1")
TESTS=$2
DIR=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
NS=wbsdk$$

say() { echo "$1 $2${3:+: $3}"; }
cleanup() { ip netns del "$NS" 2>/dev/null; }
trap cleanup EXIT

build() {
	make --no-print-directory -C "$DIR/$1" WASM_BPF="$BIN" > "$DIR/$1/build.log" 2>&1
}

# 0. The allocator, sdk/c/wasm-bpf-malloc.c (at -Oz and -O2), and the same
#    tests against wasi-libc's dlmalloc (MALLOC := libc). The 16 MiB cap is
#    part of the test.
for t in test_malloc test_malloc_O2 test_malloc_libc; do
	out=$(timeout 300 "$BIN" run --max-memory 16M "$TESTS/$t.wasm" 2>&1)
	if [ $? -eq 0 ] && grep -q '^malloc: [1-9][0-9]* passed, 0 failed$' <<< "$out"; then
		say PASS "$t"; pass=$((pass + 1))
	else
		say FAIL "$t" "$(grep -v '^PASS' <<< "$out" | tail -5)"; fail=$((fail + 1))
	fi
done

if [ "$(id -u)" != 0 ]; then
	say SKIP compat_trace "needs root (loads eBPF programs)"
	say SKIP compat_xdp "needs root (loads eBPF programs)"
	say SKIP bulk_memory "needs root (loads eBPF programs)"
	echo "sdk: $pass passed, $fail failed, 3 skipped"
	[ $fail -eq 0 ]
	exit
fi

# 1. Tracepoint, .rodata, ring buffer through bpf_buffer, fd map operations.
if ! build compat_trace; then
	say FAIL compat_trace "does not build: $(tail -3 "$DIR/compat_trace/build.log")"
	fail=$((fail + 1))
else
	out=$(sh -c 'exec "$0" run "$1" $$' "$BIN" "$DIR/compat_trace/build/compat_trace.wasm" 2>&1)
	if [ $? -eq 0 ] && grep -q '^compat_trace: ok' <<< "$out"; then
		say PASS compat_trace; pass=$((pass + 1))
	else
		say FAIL compat_trace "$(tail -3 <<< "$out")"; fail=$((fail + 1))
	fi
fi

# 2. XDP with bpf_set_prog_attach_target, on lo in a fresh network namespace.
if ! build compat_xdp; then
	say FAIL compat_xdp "does not build: $(tail -3 "$DIR/compat_xdp/build.log")"
	fail=$((fail + 1))
elif ! { ip netns add "$NS" && ip -n "$NS" link set lo up; } 2>/dev/null; then
	say SKIP compat_xdp "cannot create a network namespace"; skip=$((skip + 1))
else
	log=$(mktemp)
	ip netns exec "$NS" "$BIN" run "$DIR/compat_xdp/build/compat_xdp.wasm" lo 5 > "$log" 2>&1 &
	gpid=$!
	for _ in $(seq 50); do grep -q '^attached' "$log" && break; sleep 0.1; done
	for _ in 1 2 3 4 5; do
		ip netns exec "$NS" bash -c 'echo x > /dev/udp/127.0.0.1/7777' 2>/dev/null
	done
	wait "$gpid"
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^compat_xdp: ok' "$log"; then
		say PASS compat_xdp; pass=$((pass + 1))
	else
		say FAIL compat_xdp "status $rc: $(tail -3 "$log")"; fail=$((fail + 1))
	fi
	if ip -n "$NS" link show lo | grep -q xdp; then
		say FAIL compat_xdp_cleanup "XDP program left on lo"; fail=$((fail + 1))
	fi
	rm -f "$log"
fi

# 3. BULK_MEMORY := 1 (sdk/wasm-bpf.mk): examples/bootstrap built with it must
#    contain memory.copy or memory.fill, and report a process it sees run.
bulk_out=$(realpath -m "$TESTS/bootstrap-bulk")
if ! make --no-print-directory -C "$DIR/../../examples/bootstrap" WASM_BPF="$BIN" \
		OUT="$bulk_out" BULK_MEMORY=1 > "$TESTS/bootstrap-bulk.log" 2>&1; then
	say FAIL bulk_memory "does not build: $(tail -3 "$TESTS/bootstrap-bulk.log")"
	fail=$((fail + 1))
elif ! wasm-objdump -d "$bulk_out/bootstrap.wasm" | grep -q 'memory\.\(copy\|fill\)'; then
	say FAIL bulk_memory "no memory.copy or memory.fill in $bulk_out/bootstrap.wasm"
	fail=$((fail + 1))
else
	log=$(mktemp)
	"$BIN" run "$bulk_out/bootstrap.wasm" > "$log" 2>&1 &
	gpid=$!
	for _ in $(seq 50); do grep -q '^TIME' "$log" && break; sleep 0.1; done
	marker=$(mktemp -d)/wbsdk_bulk_probe
	cp /bin/true "$marker" && "$marker"
	sleep 0.3
	kill -INT "$gpid" 2>/dev/null
	wait "$gpid"
	rc=$?
	# SIGINT ends a run with 130 (docs/cli-reference.md).
	if [ $rc -eq 130 ] && grep -q 'EXEC  wbsdk_bulk_prob' "$log"; then
		say PASS bulk_memory; pass=$((pass + 1))
	else
		say FAIL bulk_memory "status $rc: $(tail -3 "$log")"; fail=$((fail + 1))
	fi
	rm -rf "$log" "$(dirname "$marker")"
fi

echo "sdk: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
