#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The eBPF policy and inspection tests: the unit test of the inspection and
# policy modules, `wasm-bpf inspect` (JSON checked with the jflat helper),
# policy flags and files (errors pointing at lines, --policy-print), and as
# root, guests whose loads and attaches the policy refuses or grants.
#
# Environment: WB_BIN (wasm-bpf), WBP_DIR (built guests and tools),
# POLICY_FILTER (run only tests whose name contains it), WBP_KEEP=1 (keep
# the logs directory).
#
# Output: PASS name / FAIL name: reason / SKIP name: reason, and last
# "policy: N passed, N failed, N skipped". Exit 1 on any failure.

set -u

WB_BIN=${WB_BIN:-build/wasm-bpf}
WBP_DIR=${WBP_DIR:-build/tests/policy}
FILTER=${POLICY_FILTER:-}

pass=0
fail=0
skip=0

say_pass() { echo "PASS $1"; pass=$((pass + 1)); }
say_fail() { echo "FAIL $1: ${*:2}"; fail=$((fail + 1)); }
say_skip() { echo "SKIP $1: ${*:2}"; skip=$((skip + 1)); }

summary()
{
	echo "policy: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

selected()
{
	[ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]
}

if [ ! -x "$WB_BIN" ]; then
	say_fail all "no wasm-bpf binary at $WB_BIN"
	summary
fi
WB_BIN=$(realpath "$WB_BIN")
LOGS=$(mktemp -d /tmp/wbp-logs.XXXXXX)
cleanup()
{
	rm -f /sys/fs/bpf/wbp_pinned 2>/dev/null
	if [ "$fail" -eq 0 ] && [ "${WBP_KEEP:-0}" != 1 ]; then
		rm -rf "$LOGS"
	else
		echo "policy: logs in $LOGS"
	fi
}
trap cleanup EXIT
trap 'echo "policy: interrupted"; exit 130' INT TERM

# The guest as the tests name it: messages carry the module path as given.
cd "$WBP_DIR" 2>/dev/null && [ -f pguest.wasm ] && [ -x test_policy ] || {
	say_skip all "tests not built in $WBP_DIR (they need kernel BTF: /sys/kernel/btf/vmlinux)"
	summary
}
G=pguest.wasm

# ---------------------------------------------------------------- helpers

# run_wb NAME ARGS...: run wasm-bpf; status in RC, output in $LOGS/NAME.{out,err}.
run_wb()
{
	local name=$1
	shift
	OUT=$LOGS/$name.out
	ERR=$LOGS/$name.err
	timeout -k 5 60 "$WB_BIN" "$@" < /dev/null > "$OUT" 2> "$ERR"
	RC=$?
}

# expect NAME WANT_RC [STDERR_SUBSTRING [STDOUT_SUBSTRING]] -- ARGS...
expect()
{
	local name=$1 want=$2 err_has=${3:-} out_has=${4:-}
	shift 4
	[ "${1:-}" = -- ] && shift
	selected "$name" || return 0
	run_wb "$name" "$@"
	if [ "$RC" -ne "$want" ]; then
		say_fail "$name" "exit status $RC, want $want: $(tail -n 3 "$ERR" "$OUT" | tr '\n' ' ')"
	elif [ -n "$err_has" ] && ! grep -qF -- "$err_has" "$ERR"; then
		say_fail "$name" "stderr lacks '$err_has': $(head -c 400 "$ERR" | tr '\n' ' ')"
	elif [ -n "$out_has" ] && ! grep -qF -- "$out_has" "$OUT"; then
		say_fail "$name" "stdout lacks '$out_has': $(head -c 400 "$OUT" | tr '\n' ' ')"
	else
		say_pass "$name"
		return 0
	fi
	return 1
}

# A grant that the kernel may still refuse (a feature it lacks): exit 0 is a
# pass; a failure that is not the policy's (status 4) is a skip with the reason.
expect_granted()
{
	local name=$1 why
	shift
	selected "$name" || return 0
	run_wb "$name" "$@"
	if [ "$RC" -eq 0 ]; then
		say_pass "$name"
	elif { [ "$RC" -eq 4 ] || [ "$RC" -eq 3 ]; } && ! grep -q 'denied by\|may not attach' "$ERR" "$OUT"; then
		why=$(grep -m 1 'LAST_ERROR' "$OUT" | cut -c 1-160)
		say_skip "$name" "the policy allowed it, the kernel refused the load: ${why:-see log}"
	else
		say_fail "$name" "exit status $RC: $(tail -n 3 "$ERR" "$OUT" | tr '\n' ' ')"
	fi
}

# The path "objects[i].programs[j]" of program $2 in flattened JSON $1.
jprog()
{
	grep -E "^objects\[[0-9]+\]\.programs\[[0-9]+\]\.name=$2\$" "$1" | head -n 1 |
		sed 's/\.name=.*//'
}

jmap()
{
	grep -E "^objects\[[0-9]+\]\.maps\[[0-9]+\]\.name=$2\$" "$1" | head -n 1 |
		sed 's/\.name=.*//'
}

# Does flattened JSON $1 have "$2.KEY[N]=VALUE" (KEY $3, VALUE $4) or "$2.KEY=VALUE"?
jhas()
{
	local prefix
	prefix=$(printf '%s' "$2" | sed 's/[].[]/\\&/g')
	grep -qE "^$prefix\.$3(\[[0-9]+\])?=$4\$" "$1"
}

# ---------------------------------------------------------------- unit tests

if selected unit; then
	if [ -x ./test_policy ]; then
		./test_policy . > "$LOGS/unit.log" 2>&1
		while read -r word name rest; do
			case $word in
			PASS) say_pass "$name" ;;
			FAIL) say_fail "$name" "$rest (see $LOGS/unit.log)" ;;
			esac
		done < "$LOGS/unit.log"
		grep -q '^PASS\|^FAIL' "$LOGS/unit.log" ||
			say_fail unit "test_policy printed no result: $(head -c 300 "$LOGS/unit.log")"
	else
		say_fail unit "no test_policy binary in $WBP_DIR"
	fi
fi

# ---------------------------------------------------------------- inspect

inspect_tests()
{
	local flat=$LOGS/inspect.flat p m
	if selected inspect_json; then
		run_wb inspect_json inspect -j "$G"
		if [ "$RC" -ne 1 ]; then
			say_fail inspect_json "exit status $RC, want 1 (denied objects): $(head -c 300 "$ERR")"
		elif ! ./jflat < "$OUT" > "$flat" 2> "$LOGS/jflat.err"; then
			say_fail inspect_json "output does not parse: $(cat "$LOGS/jflat.err")"
		else
			local bad=""
			grep -qx 'objects#=10' "$flat" || bad="$bad objects#"
			grep -qx 'abi.description=1' "$flat" || bad="$bad abi"
			grep -qx 'allowed=false' "$flat" || bad="$bad allowed"
			p=$(jprog "$flat" wbp_write_user)
			[ -n "$p" ] && jhas "$flat" "$p" helpers bpf_probe_write_user &&
				jhas "$flat" "$p" type tracepoint || bad="$bad wbp_write_user"
			p=$(jprog "$flat" wbp_trace)
			[ -n "$p" ] && jhas "$flat" "$p" helpers bpf_get_current_comm &&
				jhas "$flat" "$p" helpers bpf_loop &&
				jhas "$flat" "$p" helpers bpf_get_smp_processor_id &&
				! jhas "$flat" "$p" helpers bpf_probe_write_user || bad="$bad wbp_trace"
			p=$(jprog "$flat" wbp_kfunc)
			[ -n "$p" ] && jhas "$flat" "$p" kfuncs bpf_task_from_pid || bad="$bad wbp_kfunc"
			p=$(jprog "$flat" wbp_lsm)
			[ -n "$p" ] && jhas "$flat" "$p" type lsm || bad="$bad wbp_lsm"
			m=$(jmap "$flat" wbp_hash)
			[ -n "$m" ] && jhas "$flat" "$m" type hash && jhas "$flat" "$m" max_entries 1024 &&
				jhas "$flat" "$m" key_size 4 && jhas "$flat" "$m" memory 65536 ||
				bad="$bad wbp_hash"
			m=$(jmap "$flat" wbp_pinned)
			[ -n "$m" ] && jhas "$flat" "$m" pin_path /sys/fs/bpf/wbp_pinned || bad="$bad pin"
			grep -q "^objects\[[0-9]*\]\.denied_because\[0\]=program 'wbp_send_signal' calls helper bpf_send_signal (109)" \
				"$flat" || bad="$bad verdict"
			if [ -z "$bad" ]; then
				say_pass inspect_json
			else
				say_fail inspect_json "wrong or missing:$bad (see $flat)"
			fi
		fi
	fi
	expect inspect_all_granted 0 "" '"allowed":true' -- inspect -j --allow-helper '*' \
		--allow-kfunc '*' --allow-prog-type '*' --allow-pin '*' "$G"
	expect inspect_text 1 "" "policy: DENIED" -- inspect "$G"
	expect inspect_text_reason 1 "" \
		"program 'wbp_lsm' (section 'lsm/file_open') has type lsm, denied by default policy" \
		-- inspect "$G"
	expect inspect_compat 0 "" "wasm_bpf ABI: 1 (compatibility subset)" -- inspect compat.wasm
	expect inspect_compat_json 0 "" '"compat_only":true' -- inspect -j compat.wasm
	expect inspect_help 0 "" "Examples:" -- inspect --help
	expect inspect_cap 1 "" "over the limit of 64.0 KiB set by --max-map-memory 64K" \
		-- inspect --max-map-memory 64K compat.wasm
	expect inspect_usage 2 "expected a module file" "" -- inspect
}
inspect_tests

# ---------------------------------------------------------------- policy files and flags

cat > "$LOGS/grant.json" <<'EOF'
{
  "helpers": { "allow": ["probe_write_user", "send_signal"] },
  "max_map_memory": "1M"
}
EOF
cat > "$LOGS/small.json" <<'EOF'
{
  "max_map_memory": "64K"
}
EOF
printf '{\n  "helpers": {\n    "allow": ["send_signal" "probe_write_user"]\n  }\n}\n' > "$LOGS/bad.json"
printf '{\n  "helpers": { "allow": [] },\n  "helperz": {}\n}\n' > "$LOGS/badkey.json"

expect policy_print 0 "" "helper     deny   probe_write_user" -- run --policy-print
expect policy_print_order 0 "" "--allow-helper probe_write_user" -- \
	run --allow-helper probe_write_user --policy-print
expect policy_print_file 0 "" "max-map-memory 1048576" -- \
	run --policy "$LOGS/grant.json" --policy-print
expect policy_bad_syntax 2 "bad.json:3:" "" -- run --policy "$LOGS/bad.json" "$G" x load
expect policy_bad_key 2 "badkey.json:3: unknown key \"helperz\"" "" -- \
	inspect --policy "$LOGS/badkey.json" "$G"
expect policy_missing_file 2 "nonexistent.json" "" -- run --policy "$LOGS/nonexistent.json" "$G"
expect policy_bad_helper 2 "unknown helper 'probe_write_usr'" "" -- \
	run --allow-helper probe_write_usr "$G" write_user load
expect policy_bad_attach 2 "want KIND:PATTERN" "" -- run --allow-attach eth0 "$G" mix load
expect policy_bad_size 2 "--max-map-memory" "" -- run --max-map-memory lots "$G" mix load

# ---------------------------------------------------------------- resource limits

# expect_fast NAME SECONDS ...: like expect, and it must end within SECONDS.
expect_fast()
{
	local name=$1 secs=$2 t0 t1
	shift 2
	selected "$name" || return 0
	t0=$(date +%s%N)
	expect "$@" || return
	t1=$(date +%s%N)
	if [ $(((t1 - t0) / 1000000)) -gt $((secs * 1000)) ]; then
		pass=$((pass - 1))
		say_fail "$name" "took $(((t1 - t0) / 1000000)) ms, more than ${secs} s"
	fi
}

expect_fast timeout_spin 5 timeout_spin 124 "timed out after 500ms" "" -- \
	run --timeout 500ms limits.wasm spin
expect_fast timeout_sleep 5 timeout_sleep 124 "timed out after 0.5s" "" -- \
	run --timeout 0.5s limits.wasm sleep
expect timeout_not_reached 0 "" "done" -- run --timeout 10s limits.wasm quick
expect timeout_bad 2 "--timeout: expected a duration" "" -- run --timeout soon limits.wasm quick
expect fuel_spin 70 "out of fuel" "" -- run --fuel 100000 limits.wasm spin
expect fuel_enough 0 "" "done" -- run --fuel 100000000 limits.wasm quick
expect max_memory_refuses 5 "" "malloc failed after" -- run --max-memory 2M limits.wasm grow 8
expect max_memory_allows 0 "" "allocated 8 MiB" -- run --max-memory 16M limits.wasm grow 8
expect max_memory_initial 71 "memory size exceeds the limit" "" -- \
	run --max-memory 64K limits.wasm quick
expect max_call_depth 70 "call stack exhausted" "" -- \
	run --max-call-depth 100 limits.wasm recurse 1000
expect max_call_depth_ok 0 "" "depth 50" -- run --max-call-depth 1000 limits.wasm recurse 50
expect max_stack 70 "call stack exhausted" "" -- run --max-stack 4K limits.wasm recurse 1000

# ---------------------------------------------------------------- loads (root)

if [ "$(id -u)" != 0 ]; then
	say_skip kernel "not root (loading eBPF programs needs CAP_BPF, CAP_PERFMON)"
	summary
fi
if ! bpftool prog list > /dev/null 2>&1; then
	say_skip kernel "BPF unavailable (bpftool prog list fails)"
	summary
fi
if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
fi

# The refusal message, as wasm-bpf prints it (and the guest reads it back).
refusal()
{
	echo "$G: program '$1' calls helper bpf_$2 ($3), denied by default policy; allow with --allow-helper $2"
}

helper_tests()
{
	local obj prog helper id msg
	while read -r obj prog helper id; do
		msg=$(refusal "$prog" "$helper" "$id")
		expect "deny_${helper}" 77 "wasm-bpf: $msg" "LAST_ERROR: $msg" -- run "$G" "$obj" open
		expect "deny_${helper}_compat" 77 "wasm-bpf: $msg" "LAST_ERROR: $msg" -- \
			run "$G" "$obj" load
		if [ "$helper" = override_return ]; then
			expect_granted "grant_${helper}_flag" run --allow-helper "$helper" "$G" "$obj" open
			continue
		fi
		expect "grant_${helper}_flag" 0 "" "load: 0" -- \
			run --allow-helper "$helper" "$G" "$obj" open
		expect "grant_${helper}_flag_bpf_prefix" 0 "" "load: ok" -- \
			run --allow-helper "bpf_$helper" "$G" "$obj" load
		# Flags apply in order: the last matching rule wins.
		expect "grant_${helper}_then_deny" 77 "denied by --deny-helper $helper" "" -- \
			run --allow-helper "$helper" --deny-helper "$helper" "$G" "$obj" open
	done <<'EOF'
write_user wbp_write_user probe_write_user 36
send_signal wbp_send_signal send_signal 109
send_thread wbp_send_thread send_signal_thread 117
override wbp_override override_return 58
EOF
	expect grant_file 0 "" "load: 0" -- run --policy "$LOGS/grant.json" "$G" write_user open
	expect grant_file_2 0 "" "load: 0" -- run --policy "$LOGS/grant.json" "$G" send_signal open
	expect grant_file_not_thread 77 "denied by default policy" "" -- \
		run --policy "$LOGS/grant.json" "$G" send_thread open
	expect deny_after_file 77 "denied by --deny-helper probe_write_user" "" -- \
		run --policy "$LOGS/grant.json" --deny-helper probe_write_user "$G" write_user open
}

other_tests()
{
	expect deny_kfunc 77 "program 'wbp_kfunc' calls kfunc bpf_task_from_pid, denied by default policy (kfuncs need a grant); allow with --allow-kfunc bpf_task_from_pid" \
		"" -- run "$G" kfunc open
	expect_granted grant_kfunc run --allow-kfunc 'bpf_task_*' "$G" kfunc open
	expect deny_lsm 77 "program 'wbp_lsm' (section 'lsm/file_open') has type lsm, denied by default policy; allow with --allow-prog-type lsm" \
		"" -- run "$G" lsm open
	expect_granted grant_lsm run --allow-prog-type lsm "$G" lsm open
	expect deny_syscall 77 "program 'wbp_syscall' (section 'syscall') has type syscall, denied by default policy; allow with --allow-prog-type syscall" \
		"" -- run "$G" syscall open
	expect_granted grant_syscall run --allow-prog-type syscall "$G" syscall open
	expect deny_ext 77 "program 'wbp_ext' (section 'freplace/handler') has type ext, denied by default policy; allow with --allow-prog-type ext" \
		"" -- run "$G" ext open
	expect deny_prog_type 77 "has type tracepoint, denied by --deny-prog-type tracepoint" "" -- \
		run --deny-prog-type tracepoint "$G" mix open
	# Programs with autoload off are not checked: they never reach the kernel.
	expect autoload_off_skips_check 0 "" "load: 0" -- \
		run --deny-prog-type xdp "$G" mix noload wbp_xdp
	expect refused_then_retry 0 "" "first load: -63" -- \
		run --deny-prog-type xdp "$G" mix retry wbp_xdp
	expect deny_map_type 77 "map 'wbp_ring' has type ringbuf, denied by --deny-map-type ringbuf" \
		"" -- run --deny-map-type ringbuf "$G" mix open
	expect deny_pin 77 "map 'wbp_pinned' would be pinned at /sys/fs/bpf/wbp_pinned, denied by default policy" \
		"" -- run "$G" pinned open
	if selected grant_pin; then
		if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
			say_skip grant_pin "no bpffs at /sys/fs/bpf"
		else
			rm -f /sys/fs/bpf/wbp_pinned
			expect grant_pin 0 "" "load: 0" -- run --allow-pin '/sys/fs/bpf/wbp_*' "$G" pinned open
			rm -f /sys/fs/bpf/wbp_pinned
		fi
	fi

	# Map memory: mix needs about 332 KiB.
	expect mem_cap_refuses 77 "over the limit of 64.0 KiB set by --max-map-memory 64K" \
		"LAST_ERROR: $G: maps need about" -- run --max-map-memory 64K "$G" mix open
	expect mem_cap_file 77 "set by $LOGS/small.json:2" "" -- \
		run --policy "$LOGS/small.json" "$G" mix open
	expect mem_cap_allows 0 "" "load: 0" -- run --max-map-memory 1M "$G" mix open
	expect mem_cap_shrunk 0 "" "load: 0" -- \
		run --max-map-memory 64K "$G" mix shrink wbp_ring 4096 wbp_hash 16
	expect mem_cap_compat 77 "over the limit" "" -- run --max-map-memory 64K "$G" mix load

	# Attach targets.
	expect attach_iface_denied 77 "program 'wbp_sock' may not attach to iface:lo: no --allow-attach iface:... pattern matches it; allow with --allow-attach iface:lo" \
		"attach wbp_sock lo: -63" -- run --allow-attach 'iface:veth*' "$G" mix attach wbp_sock lo
	expect attach_iface_allowed 0 "" "attach wbp_sock lo: 0" -- \
		run --allow-attach 'iface:veth*' --allow-attach iface:lo "$G" mix attach wbp_sock lo
	expect attach_iface_unrestricted 0 "" "attach wbp_sock lo: 0" -- \
		run "$G" mix attach wbp_sock lo
	expect attach_iface_deny 77 "denied by --deny-attach iface:l*" "" -- \
		run --deny-attach 'iface:l*' "$G" mix attach wbp_sock lo
	if [ -d /sys/kernel/tracing/events/syscalls/sys_enter_sched_yield ] ||
		[ -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_sched_yield ]; then
		expect attach_tp_denied 77 "may not attach to tracepoint:syscalls:sys_enter_sched_yield" \
			"" -- run --allow-attach 'tracepoint:syscalls:sys_enter_getpid' "$G" mix attach wbp_trace
		expect attach_tp_allowed 0 "" "attach wbp_trace (auto): 0" -- \
			run --allow-attach 'tracepoint:syscalls:*' "$G" mix attach wbp_trace
		expect attach_tp_target_denied 77 "may not attach to tracepoint:syscalls:sys_enter_getppid" \
			"" -- run --allow-attach 'tracepoint:syscalls:sys_enter_sched_yield' "$G" mix \
			attach wbp_trace syscalls:sys_enter_getppid
	else
		say_skip attach_tp "no tracepoint syscalls/sys_enter_sched_yield"
	fi

	# An allowed module still loads as before.
	expect default_allows_mix 0 "" "load: ok" -- run "$G" mix load
	expect compat_guest 0 "" "load: ok" -- run compat.wasm
}

helper_tests
other_tests

# --timeout also stops a guest blocked in an eBPF buffer poll (tests/bpf's teardown guest).
if selected timeout_poll; then
	if [ -f ../bpf/teardown.wasm ]; then
		expect_fast timeout_poll 5 timeout_poll 124 "timed out after 1s" "READY blocked" -- \
			run --timeout 1s ../bpf/teardown.wasm $$ block
	else
		say_skip timeout_poll "tests/bpf not built (make bpf-tests)"
	fi
fi

if selected leaks; then
	sleep 0.3
	left=$(bpftool prog list 2>/dev/null | grep -c ' wbp_')
	if [ "$left" -ne 0 ]; then
		say_fail leaks "$left wbp_* programs left in the kernel"
	else
		say_pass leaks
	fi
fi
summary
