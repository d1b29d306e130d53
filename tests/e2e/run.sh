#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The end-to-end tests of the examples: runs every tests/e2e/cases/*.sh (or
# those named on the command line, or whose name contains $E2E_FILTER) as a
# separate bash process with tests/e2e/lib.sh sourced, in its own scratch
# directory, with a time limit.
#
# Usage: tests/e2e/run.sh [NAME...]        (as root, from anywhere)
# Environment: WB_BIN (wasm-bpf binary, default build/wasm-bpf), E2E_FILTER,
# E2E_TIMEOUT (seconds per case, default 120), E2E_KEEP=1 (keep the logs).
#
# Output: "PASS name", "FAIL name: reason" (followed by the case's log) or
# "SKIP name: reason" per case, and a last line exactly
# "e2e: N passed, N failed, N skipped". Exit status 1 if any case failed.

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$HERE/../.." && pwd)
WB_BIN=${WB_BIN:-$E2E_ROOT/build/wasm-bpf}
E2E_EXAMPLES=${E2E_EXAMPLES:-$E2E_ROOT/examples}
TIMEOUT=${E2E_TIMEOUT:-120}
FILTER=${E2E_FILTER:-}

pass=0
fail=0
skip=0

summary()
{
	echo "e2e: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

cases=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		cases+=("$HERE/cases/${n%.sh}.sh")
	done
else
	for f in "$HERE"/cases/*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "$f" .sh)
		[ -z "$FILTER" ] || [[ "$n" == *"$FILTER"* ]] || continue
		cases+=("$f")
	done
fi

# Without root or BPF, every case is a skip, not a pass.
why_not=
if [ "$(id -u)" != 0 ]; then
	why_not="not root (eBPF needs CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)"
elif [ ! -r /sys/kernel/btf/vmlinux ]; then
	why_not="no kernel BTF (/sys/kernel/btf/vmlinux)"
elif ! command -v bpftool >/dev/null || ! bpftool prog list >/dev/null 2>&1; then
	why_not="BPF unavailable (bpftool prog list fails)"
elif [ ! -x "$WB_BIN" ]; then
	for f in "${cases[@]}"; do
		echo "FAIL $(basename "$f" .sh): no wasm-bpf binary at $WB_BIN"
		fail=$((fail + 1))
	done
	summary
fi
if [ -n "$why_not" ]; then
	for f in "${cases[@]}"; do
		echo "SKIP $(basename "$f" .sh): $why_not"
		skip=$((skip + 1))
	done
	summary
fi
WB_BIN=$(realpath "$WB_BIN")

# libbpf reads tracepoint ids from tracefs.
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

LOGS=$(mktemp -d /tmp/e2e-logs.XXXXXX)
trap 'echo "e2e: interrupted"; exit 130' INT TERM

for f in "${cases[@]}"; do
	name=$(basename "$f" .sh)
	if [ ! -f "$f" ]; then
		echo "FAIL $name: no such case ($f)"
		fail=$((fail + 1))
		continue
	fi
	tmp=$LOGS/$name
	mkdir -p "$tmp"
	log=$LOGS/$name.log
	(
		cd "$tmp" || exit 1
		export E2E_ROOT WB_BIN E2E_EXAMPLES
		export E2E_TMP=$tmp E2E_RESULT=$tmp/result
		# timeout puts the case and everything it starts (examples,
		# load generators) in a process group of their own and, after
		# $TIMEOUT seconds, sends SIGTERM to the whole group; the case's
		# TERM trap (lib.sh) still runs its e2e_defer cleanups.
		exec timeout -k 5 "$TIMEOUT" bash -c \
			'source "$1"; source "$2"' bash "$HERE/lib.sh" "$f"
	) > "$log" 2>&1 < /dev/null
	rc=$?
	reason=$(cat "$tmp/result" 2>/dev/null)
	case $rc in
	0)
		echo "PASS $name"
		pass=$((pass + 1))
		;;
	77)
		echo "SKIP $name: ${reason:-skipped}"
		skip=$((skip + 1))
		;;
	*)
		[ "$rc" -eq 124 ] && reason="timed out after ${TIMEOUT}s${reason:+ ($reason)}"
		echo "FAIL $name: ${reason:-exit status $rc}"
		sed 's/^/    /' "$log" | tail -n 50
		fail=$((fail + 1))
		;;
	esac
done

if [ "$fail" -eq 0 ] && [ "${E2E_KEEP:-0}" != 1 ]; then
	rm -rf "$LOGS"
else
	echo "e2e: logs in $LOGS"
fi
summary
