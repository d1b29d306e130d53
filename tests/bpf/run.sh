#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The eBPF host interface tests: runs each guest of tests/bpf/guest with
# wasm-bpf as root, sets up what it needs (its own pid in argv[1], network
# namespaces with a veth pair, a uprobe target), sends traffic, enforces
# timeouts, and checks after every test that no eBPF program, map or link of
# ours is left in the kernel.
#
# Environment: WB_BIN (wasm-bpf), WBT_DIR (built guests), BPF_FILTER (run only
# tests whose name contains it), WBT_TIMEOUT (seconds per guest, default 60),
# WBT_KEEP=1 (keep the logs directory).
#
# Output: one line per test (PASS name / FAIL name: reason / SKIP name: reason)
# and a last line "bpf: N passed, N failed, N skipped". Exit 1 on any failure.

set -u

WB_BIN=${WB_BIN:-build/wasm-bpf}
WBT_DIR=${WBT_DIR:-build/tests/bpf}
FILTER=${BPF_FILTER:-}
TIMEOUT=${WBT_TIMEOUT:-60}

pass=0
fail=0
skip=0

summary()
{
	echo "bpf: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

say_pass() { echo "PASS $1"; pass=$((pass + 1)); }
say_fail() { echo "FAIL $1: ${*:2}"; fail=$((fail + 1)); }
say_skip() { echo "SKIP $1: ${*:2}"; skip=$((skip + 1)); }

# ---------------------------------------------------------------- can we run?

if [ "$(id -u)" != 0 ]; then
	say_skip all "not root (loading eBPF programs needs CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)"
	summary
fi
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	say_skip all "no kernel BTF (/sys/kernel/btf/vmlinux)"
	summary
fi
if ! bpftool prog list >/dev/null 2>&1; then
	say_skip all "BPF unavailable (bpftool prog list fails)"
	summary
fi
if [ ! -x "$WB_BIN" ]; then
	say_fail all "no wasm-bpf binary at $WB_BIN"
	summary
fi
WB_BIN=$(realpath "$WB_BIN")
WBT_DIR=$(realpath "$WBT_DIR")

# libbpf finds tracepoint ids under tracefs.
if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
fi
have_tracepoint()
{
	[ -d "/sys/kernel/tracing/events/$1" ] || [ -d "/sys/kernel/debug/tracing/events/$1" ]
}

LOGS=$(mktemp -d /tmp/wbt-logs.XXXXXX)
NS_A=wbt_a_$$
NS_B=wbt_b_$$
CG=/sys/fs/cgroup/unified/wbt_$$

cleanup()
{
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	[ -d "$CG" ] && rmdir "$CG" 2>/dev/null
	if [ "$fail" -eq 0 ] && [ "${WBT_KEEP:-0}" != 1 ]; then
		rm -rf "$LOGS"
	else
		echo "bpf: logs in $LOGS"
	fi
}
trap cleanup EXIT
trap 'echo "bpf: interrupted"; exit 130' INT TERM

selected()
{
	[ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]
}

# ---------------------------------------------------------------- leak check

# "KIND ID WORD" for each object `bpftool KIND list` shows, WORD being the
# word after FIELD (the name; for links, the program id).
list_objs()
{
	bpftool "$1" list 2>/dev/null | awk -v kind="$1" -v field="$2" '/^[0-9]+:/ {
		for (i = 1; i <= NF; i++)
			if ($i == field)
				print kind, $1 + 0, $(i + 1) }'
}

# Our kernel objects, one per line: "prog ID NAME", "map ID NAME", "link ID PROG".
# Ours are the programs and maps named wbt_* and the internal maps of objects
# loaded by wasm-bpf ("wasm_bpf.rodata" ...), and links to our programs.
snapshot()
{
	local progs
	{
		list_objs prog name | grep ' wbt_'
		list_objs map name | grep -E ' (wbt_|wasm_bpf\.)'
		progs=" $(list_objs prog name | awk '$3 ~ /^wbt_/ { printf "%d ", $2 }')"
		list_objs link prog | while read -r kind id prog; do
			[[ "$progs" == *" $prog "* ]] && echo "$kind $id $prog"
		done
	} | LC_ALL=C sort
}

# "KIND ID" of every program, map and link some live process holds an fd of
# (from /proc/*/fdinfo). The guest being judged has exited by then, so an
# object a live process holds belongs to someone else (another wasm-bpf run
# on the machine), not to a leak of ours.
held_by_live()
{
	cat /proc/[0-9]*/fdinfo/* 2>/dev/null | awk '
		$1 == "prog_id:" { print "prog", $2 }
		$1 == "map_id:" { print "map", $2 }
		$1 == "link_id:" { print "link", $2 }' | LC_ALL=C sort -u
}

# Objects present now but not in the snapshot file $1, and held by no live
# process. The kernel frees programs and maps shortly after their last
# reference goes: retry for 3 s.
leaks_since()
{
	local i new held
	for i in $(seq 30); do
		new=$(snapshot | LC_ALL=C comm -13 "$1" -)
		if [ -n "$new" ]; then
			held=$(held_by_live)
			new=$(while read -r kind id rest; do
				grep -qx "$kind $id" <<< "$held" || echo "$kind $id $rest"
			done <<< "$new")
		fi
		[ -z "$new" ] && return 0
		sleep 0.1
	done
	echo "$new" | tr '\n' ';' | sed 's/;$//'
}

# ---------------------------------------------------------------- running guests

# The reason of a guest's failure from its log: its failed checks, or the tail.
log_reason()
{
	local r pat='FAIL|AddressSanitizer|runtime error|LeakSanitizer|trap'
	r=$(grep -m 3 -E "$pat" "$1" | tr '\n' ' ')
	[ -z "$r" ] && r=$(tail -n 3 "$1" | tr '\n' ' ')
	echo "$r"
}

sanitizer_report()
{
	grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$1"
}

# Start a guest with its own host pid as argv[1]: after exec, wasm-bpf has the
# shell's pid. Extra arguments follow. Prefix with $WRAP (e.g. ip netns exec).
guest_cmd()
{
	local wasm=$1
	shift
	timeout -k 5 "$TIMEOUT" ${WRAP:-} sh -c 'b=$1; w=$2; shift 2; exec "$b" run "$w" $$ "$@"' \
		sh "$WB_BIN" "$WBT_DIR/$wasm.wasm" "$@"
}

# Judge a finished guest: name, exit status, expected status, log, snapshot.
judge()
{
	local name=$1 rc=$2 want=$3 log=$4 before=$5 leaks reason
	leaks=$(leaks_since "$before")
	if sanitizer_report "$log"; then
		say_fail "$name" "sanitizer report: $(log_reason "$log")"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		say_fail "$name" "timed out after ${TIMEOUT}s: $(log_reason "$log")"
	elif [ "$rc" -eq 77 ] && [ "$want" = 0 ]; then
		reason=$(grep -m 1 '^SKIP:' "$log" | sed 's/^SKIP: *//')
		say_skip "$name" "${reason:-skipped by the guest}"
	elif [ "$want" = any ] && [ "$rc" -ge 128 ]; then
		say_fail "$name" "wasm-bpf died of signal $((rc - 128)): $(log_reason "$log")"
	elif [ "$want" != any ] && [ "$rc" -ne "$want" ]; then
		say_fail "$name" "exit status $rc, want $want: $(log_reason "$log")"
	elif [ -n "$leaks" ]; then
		say_fail "$name" "left in the kernel: $leaks"
	else
		say_pass "$name"
		return 0
	fi
	return 1
}

# A self-contained guest: run it, expect exit status $want (default 0).
run_simple()
{
	local name=$1 wasm=$2 want=$3 rc
	shift 3
	selected "$name" || return 0
	local log=$LOGS/$name.log before=$LOGS/$name.before
	snapshot > "$before"
	guest_cmd "$wasm" "$@" > "$log" 2>&1
	rc=$?
	judge "$name" "$rc" "$want" "$log" "$before"
}

# A guest that prints "READY tag" and then waits for a line on stdin: start it
# in the background with a fifo as stdin. guest_start NAME WASM ARGS...
guest_start()
{
	local name=$1 wasm=$2
	shift 2
	GLOG=$LOGS/$name.log
	GFIFO=$LOGS/$name.in
	: > "$GLOG"
	rm -f "$GFIFO"
	mkfifo "$GFIFO"
	# Read-write open: neither side blocks on open.
	exec {GFD}<>"$GFIFO"
	guest_cmd "$wasm" "$@" < "$GFIFO" > "$GLOG" 2>&1 &
	GPID=$!
}

# Wait for "READY tag" in the guest's log (or its death). 0 if it came.
guest_wait_ready()
{
	local i
	for i in $(seq $((TIMEOUT * 10))); do
		grep -q "^READY $1" "$GLOG" && return 0
		kill -0 "$GPID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

guest_go()
{
	echo go >&"$GFD"
}

# Wait for the guest; its exit status in GRC.
guest_finish()
{
	wait "$GPID"
	GRC=$?
	exec {GFD}>&-
	rm -f "$GFIFO"
}

# ---------------------------------------------------------------- tests

# Possible CPUs as the kernel counts them for per-CPU maps ("0-3,8-11").
possible_cpus()
{
	local n=0 part parts
	IFS=, read -ra parts < /sys/devices/system/cpu/possible || return
	for part in "${parts[@]}"; do
		n=$((n + ${part#*-} - ${part%-*} + 1))
	done
	echo "$n"
}
POSSIBLE_CPUS=$(possible_cpus 2>/dev/null)

sched_yield_tests()
{
	if ! have_tracepoint syscalls/sys_enter_sched_yield; then
		local t
		for t in ringbuf perfbuf twobuf maps iter globals tracing hostile reenter_poll \
			reenter_detach reenter_close_ring reenter_close_perf teardown_exit \
			teardown_procexit teardown_trap interrupt kprobe fentry; do
			selected "$t" && say_skip "$t" "no tracepoint" \
				"syscalls/sys_enter_sched_yield (CONFIG_FTRACE_SYSCALLS)"
		done
		return
	fi
	run_simple ringbuf ringbuf 0
	run_simple perfbuf perfbuf 0
	run_simple twobuf twobuf 0
	run_simple maps maps 0 "${POSSIBLE_CPUS:-0}"
	run_simple iter iter 0
	run_simple globals globals 0
	run_simple tracing tracing 0
	run_simple hostile hostile 0
	run_simple reenter_poll reenter 0 poll
	run_simple reenter_detach reenter 0 detach
	run_simple reenter_close_ring reenter 0 close_ring
	run_simple reenter_close_perf reenter 0 close_perf
	# The end of an instance detaches and closes everything, however it ends.
	run_simple teardown_exit teardown 0 exit
	run_simple teardown_procexit teardown 3 procexit
	interrupt_test
	if selected teardown_trap && run_simple teardown_trap teardown 70 trap; then
		grep -q -i 'trap\|unreachable' "$LOGS/teardown_trap.log" ||
			echo "  (note: teardown_trap: no trap message on stderr)"
	fi
	run_simple kprobe unavail 0 kprobe
	run_simple fentry unavail 0 fentry
}

# SIGINT while the guest blocks in a poll without timeout: wasm-bpf must end
# (status 130) promptly and leave nothing behind.
interrupt_test()
{
	local name=interrupt before pid i
	selected "$name" || return 0
	before=$LOGS/$name.before
	snapshot > "$before"
	guest_start "$name" teardown block
	if guest_wait_ready blocked; then
		sleep 0.3
		pid=$(awk '/^PID / { print $2; exit }' "$GLOG")
		kill -INT "$pid" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null &&
			echo "runner: still running 5 s after SIGINT" >> "$GLOG"
	fi
	guest_finish
	# The first Ctrl-C must let the guest go on after its poll (to print a
	# summary): the poll returns -EINTR (WASI 27) and the guest prints it.
	if [ "$GRC" = 130 ] && ! grep -q '^poll returned -27$' "$GLOG"; then
		echo "runner: the guest did not go on after its poll returned -EINTR" >> "$GLOG"
		GRC=1
	fi
	judge "$name" "$GRC" 130 "$GLOG" "$before"
}

uprobe_test()
{
	local name=uprobe tpid trc before
	selected "$name" || return 0
	before=$LOGS/$name.before
	snapshot > "$before"
	# The target waits for a line on its stdin before calling wbt_target_add.
	rm -f "$LOGS/target.in"
	mkfifo "$LOGS/target.in"
	exec {TFD}<>"$LOGS/target.in"
	"$WBT_DIR/uprobe_target" 7 < "$LOGS/target.in" > "$LOGS/target.out" 2>&1 &
	tpid=$!
	guest_start "$name" uprobe "$WBT_DIR/uprobe_target" "$tpid" 7
	if guest_wait_ready attached; then
		echo go >&"$TFD"
		wait "$tpid"
		trc=$?
		[ "$trc" -eq 0 ] || echo "runner: uprobe target exited with $trc" >> "$GLOG"
		guest_go
	else
		kill "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
	fi
	guest_finish
	exec {TFD}>&-
	judge "$name" "$GRC" 0 "$GLOG" "$before"
}

# Send N UDP datagrams from namespace $1 to $2:$3 (bash's /dev/udp).
send_udp()
{
	ip netns exec "$1" bash -c \
		'for i in $(seq '"$4"'); do echo wbt > /dev/udp/'"$2/$3"'; done' 2>/dev/null
}

# What is still attached to the veth in namespace B, after the guest is gone.
net_residue()
{
	local r="" in_b="ip netns exec $NS_B"
	$in_b ip -d link show wbt1 2>/dev/null | grep -q 'prog/xdp' && r="$r xdp"
	[ -n "$($in_b tc filter show dev wbt1 ingress 2>/dev/null)" ] && r="$r tc-ingress-filter"
	[ -n "$($in_b tc filter show dev wbt1 egress 2>/dev/null)" ] && r="$r tc-egress-filter"
	$in_b tc qdisc show dev wbt1 2>/dev/null | grep -q clsact && r="$r clsact-qdisc"
	echo "$r"
}

net_setup()
{
	ip netns add "$NS_A" && ip netns add "$NS_B" &&
		ip link add wbt0 netns "$NS_A" type veth peer name wbt1 netns "$NS_B" &&
		ip -n "$NS_A" addr add 10.211.0.1/24 dev wbt0 &&
		ip -n "$NS_B" addr add 10.211.0.2/24 dev wbt1 &&
		ip -n "$NS_A" link set wbt0 up && ip -n "$NS_B" link set wbt1 up &&
		ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up || return 1
	# Resolve neighbours now, so that counted datagrams are never queued behind ARP.
	send_udp "$NS_A" 10.211.0.2 9 1
	send_udp "$NS_B" 10.211.0.1 9 1
	sleep 0.2
	return 0
}

# XDP, TC and socket filter on wbt1 in namespace B, traffic from and to A.
net_test()
{
	local name=$1 mode=$2 before residue n=5
	selected "$name" || return 0
	if ! net_setup 2>"$LOGS/$name.setup"; then
		say_fail "$name" "cannot create the namespaces and veth pair:" \
			"$(head -c 200 "$LOGS/$name.setup")"
		ip netns del "$NS_A" 2>/dev/null
		ip netns del "$NS_B" 2>/dev/null
		return
	fi
	before=$LOGS/$name.before
	snapshot > "$before"
	WRAP="ip netns exec $NS_B" guest_start "$name" net "$mode" wbt1 $n
	# Round 1: every program attached.
	if guest_wait_ready round1; then
		send_udp "$NS_A" 10.211.0.2 9999 $n
		send_udp "$NS_B" 10.211.0.1 9998 $n
		guest_go
		# Round 2: XDP detached, the others still attached.
		if guest_wait_ready round2; then
			send_udp "$NS_A" 10.211.0.2 9999 $n
			send_udp "$NS_B" 10.211.0.1 9998 $n
			guest_go
		fi
	fi
	guest_finish
	residue=$(net_residue)
	if [ -n "$residue" ]; then
		say_fail "$name" "left on the interface after exit:$residue (status $GRC)"
	else
		judge "$name" "$GRC" 0 "$GLOG" "$before"
	fi
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
}

# Regression: a guest that created the clsact qdisc must not remove it on exit
# while another tool's filter is on it (that would detach the other filter).
net_shared_clsact_test()
{
	local name=net_shared_clsact before n=5 foreign
	selected "$name" || return 0
	if ! net_setup 2>"$LOGS/$name.setup"; then
		say_fail "$name" "cannot create the namespaces and veth pair"
		ip netns del "$NS_A" 2>/dev/null
		ip netns del "$NS_B" 2>/dev/null
		return
	fi
	before=$LOGS/$name.before
	snapshot > "$before"
	WRAP="ip netns exec $NS_B" guest_start "$name" net skb wbt1 $n
	if guest_wait_ready round1; then
		send_udp "$NS_A" 10.211.0.2 9999 $n
		send_udp "$NS_B" 10.211.0.1 9998 $n
		guest_go
		if guest_wait_ready round2; then
			send_udp "$NS_A" 10.211.0.2 9999 $n
			send_udp "$NS_B" 10.211.0.1 9998 $n
			# Another tool's (classic BPF) filter joins the guest's clsact.
			ip netns exec "$NS_B" tc filter add dev wbt1 ingress pref 49000 \
				protocol all bpf bytecode '1,6 0 0 4294967295,' 2>>"$GLOG"
			guest_go
		fi
	fi
	guest_finish
	foreign=$(ip netns exec "$NS_B" tc filter show dev wbt1 ingress 2>/dev/null |
		grep -c 'pref 49000 bpf.*handle')
	if [ "$foreign" -lt 1 ]; then
		say_fail "$name" "the guest's exit removed another tool's TC filter"
	else
		judge "$name" "$GRC" 0 "$GLOG" "$before"
	fi
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
}

cgroup_test()
{
	local name=cgroup before
	selected "$name" || return 0
	if [ ! -d /sys/fs/cgroup/unified ] || ! mkdir "$CG" 2>/dev/null; then
		say_skip "$name" "no cgroup v2 hierarchy at /sys/fs/cgroup/unified"
		return
	fi
	before=$LOGS/$name.before
	snapshot > "$before"
	guest_start "$name" cgroup "$CG" 4
	if guest_wait_ready attached; then
		# Four sockets made by a shell inside the cgroup, one outside.
		bash -c 'echo $$ > '"$CG"'/cgroup.procs && for i in 1 2 3 4; do
			exec 3<>/dev/udp/127.0.0.1/9; exec 3>&-; done' 2>/dev/null
		bash -c 'exec 3<>/dev/udp/127.0.0.1/9' 2>/dev/null
		guest_go
	fi
	guest_finish
	judge "$name" "$GRC" 0 "$GLOG" "$before"
	rmdir "$CG" 2>/dev/null
}

# Two instances in one process, each with its own host: no reaching across.
two_hosts_test()
{
	local name=two_hosts before out
	selected "$name" || return 0
	before=$LOGS/$name.before
	snapshot > "$before"
	out=$("$WBT_DIR/two_hosts" "$WBT_DIR/two_instances.wasm" 2>&1)
	GRC=$?
	echo "$out" > "$LOGS/$name.log"
	judge "$name" "$GRC" 0 "$LOGS/$name.log" "$before"
}

# The minimized CO-RE target BTF (src/bpf/core_btf.c) against the whole
# kernel BTF, on every object with CO-RE relocations that is built: those of
# progs/, of the examples and of the benchmarks (tests/bpf/native/core_btf.c).
core_btf_test()
{
	local name=core_btf before root f objs=()
	local -A seen=()
	selected "$name" || return 0
	root=$(cd "$(dirname "$0")/../.." && pwd)
	for f in "$WBT_DIR"/*.bpf.o "$root"/examples/*/build/*.bpf.o \
		"$WBT_DIR"/../../bench/ebpf/*.bpf.o "$root"/build/bench/ebpf/*.bpf.o; do
		[ -f "$f" ] || continue
		f=$(realpath "$f")
		[ -n "${seen[$f]:-}" ] && continue
		seen[$f]=1
		objs+=("$f")
	done
	before=$LOGS/$name.before
	snapshot > "$before"
	timeout -k 5 "$TIMEOUT" "$WBT_DIR/core_btf" --min-objects 5 "${objs[@]}" \
		> "$LOGS/$name.log" 2>&1
	judge "$name" $? 0 "$LOGS/$name.log" "$before"
}

# `wasm-bpf run --core-btf=MODE` on the tracing guest (CO-RE relocations and
# a tp_btf program): min, full and a BTF file (a copy of the kernel's), each
# saying at -vv what it used.
core_btf_modes_test()
{
	local mode name arg log before rc file=$LOGS/vmlinux.btf
	for mode in min full file; do
		name=core_btf_$mode
		selected "$name" || continue
		if ! have_tracepoint syscalls/sys_enter_sched_yield; then
			say_skip "$name" "no tracepoint syscalls/sys_enter_sched_yield"
			continue
		fi
		arg=$mode
		if [ "$mode" = file ]; then
			arg=$file
			[ -f "$file" ] || cp /sys/kernel/btf/vmlinux "$file"
		fi
		log=$LOGS/$name.log
		before=$LOGS/$name.before
		snapshot > "$before"
		timeout -k 5 "$TIMEOUT" sh -c 'exec "$1" run -vv --core-btf="$2" "$3" $$' \
			sh "$WB_BIN" "$arg" "$WBT_DIR/tracing.wasm" > "$log" 2>&1
		rc=$?
		case $mode in
		min)
			grep -qE 'CO-RE target BTF: [0-9]+ of [0-9]+ kernel types' "$log" ;;
		full)
			! grep -q 'CO-RE target BTF' "$log" ;;
		file)
			grep -qF "CO-RE target BTF: $file" "$log" ;;
		esac || { echo "FAIL: no sign of --core-btf=$mode at -vv" >> "$log"; rc=1; }
		judge "$name" "$rc" 0 "$log" "$before"
	done
}

sched_yield_tests
core_btf_test
core_btf_modes_test
two_hosts_test
uprobe_test
net_test net_generic skb
net_test net_link link
net_shared_clsact_test
cgroup_test

summary
