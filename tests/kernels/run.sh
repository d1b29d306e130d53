#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark kernels as an end-to-end test of the engine: every kernel of
# bench/kernels.def runs natively and under `wasm-bpf run`, and the two output
# lines ("NAME units=N checksum=0x........") must be the same. The compiler's
# fusions were picked from these kernels' profiles, so a fusion that computes
# a wrong value shows up here as a different checksum (or a failed self-check).
#
# usage: run.sh CLI NATIVE_DIR WASI_DIR
#   NATIVE_DIR holds NAME (native), WASI_DIR holds NAME.wasm (wasm32-wasi),
#   both built by bench/bench.mk. A missing binary is a failure, not a skip.
# environment:
#   KERNELS_TIMEOUT  seconds per run (default 60)
#
# Each kernel runs its `quick` units (the 3rd field of its KERNEL() line),
# a tenth of a benchmark run: about 3 s for all of them. The last line is
# "kernels: N passed, N failed"; the exit status is 1 if any kernel failed.

set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 CLI NATIVE_DIR WASI_DIR" >&2
	exit 2
fi
CLI=$1
NATIVE=$2
WASI=$3
DEF=$(cd "$(dirname "$0")/../.." && pwd)/bench/kernels.def
TIMEOUT=${KERNELS_TIMEOUT:-60}

pass=0
fail=0

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/kernels-tests.XXXXXX") || exit 1
trap 'rm -rf "$SCRATCH"' EXIT

# KERNEL(name, full, quick, interp, interp_quick, geomean, what) -> "name quick"
# (the description may hold commas; only the first fields are read).
KERNELS=$(awk -F'[(,]' '/^KERNEL\(/ {
	gsub(/[ \t]/, "", $2); gsub(/[ \t]/, "", $4); print $2, $4 }' "$DEF") || exit 1
if [ -z "$KERNELS" ]; then
	echo "FAIL all: no KERNEL() lines in $DEF"
	echo "kernels: 0 passed, 1 failed"
	exit 1
fi

# Prints a failed run's status and the last lines of its stderr, indented.
report_run() {	# label, status, stderr file
	local what="status $2"

	[ "$2" -eq 124 ] && what="timed out after ${TIMEOUT}s"
	echo "  $1: $what"
	if [ -s "$3" ]; then
		tail -n 5 "$3" | sed "s/^/  $1 stderr: /"
	fi
}

check_kernel() {	# name, units
	local name=$1 units=$2 want got nrc wrc
	local nerr=$SCRATCH/$name.native.err werr=$SCRATCH/$name.wasm.err

	if [ ! -x "$NATIVE/$name" ]; then
		echo "FAIL $name: native binary $NATIVE/$name is missing"
		return 1
	fi
	if [ ! -f "$WASI/$name.wasm" ]; then
		echo "FAIL $name: wasm binary $WASI/$name.wasm is missing"
		return 1
	fi
	want=$(timeout -k 5 "$TIMEOUT" "$NATIVE/$name" "$units" < /dev/null 2> "$nerr")
	nrc=$?
	got=$(timeout -k 5 "$TIMEOUT" "$CLI" run "$WASI/$name.wasm" "$units" < /dev/null 2> "$werr")
	wrc=$?
	# The native line must look right too: two empty outputs are no match.
	if [ "$nrc" -eq 0 ] && [ "$wrc" -eq 0 ] && [ "$got" = "$want" ] &&
		[[ $want =~ ^$name\ units=$units\ checksum=0x[0-9a-f]{8}$ ]]; then
		echo "ok $name (${want#"$name "})"
		return 0
	fi
	echo "FAIL $name: expected '$want', got '$got'"
	report_run native "$nrc" "$nerr"
	report_run wasm "$wrc" "$werr"
	return 1
}

if [ ! -x "$CLI" ]; then
	echo "FAIL all: $CLI is not an executable"
	echo "kernels: 0 passed, $(wc -l <<< "$KERNELS") failed"
	exit 1
fi

while read -r name quick; do
	if ! [[ $quick =~ ^[0-9]+$ ]]; then
		echo "FAIL $name: quick units '$quick' in $DEF are not a number"
		fail=$((fail + 1))
		continue
	fi
	units=$quick
	[ "$units" -ge 1 ] || units=1
	if check_kernel "$name" "$units"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done <<< "$KERNELS"

echo "kernels: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
