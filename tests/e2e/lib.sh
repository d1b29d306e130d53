# SPDX-License-Identifier: MIT
# Helpers for the end-to-end tests of the examples (tests/e2e/cases/*.sh).
#
# A case is a bash script that run.sh executes as root, one process per case,
# with this file already sourced and the current directory set to a scratch
# directory ($E2E_TMP; removed afterwards unless a case failed or E2E_KEEP=1).
# The case's name is its file name without ".sh". A case ends in one of three
# ways:
#
#   e2e_pass                  (or simply reaching the end of the script)
#   e2e_fail "reason"         exit 1; run.sh prints "FAIL name: reason"
#   e2e_skip "reason"         exit 77; run.sh prints "SKIP name: reason"
#
# Whatever the way, the EXIT trap of this file stops the example if it still
# runs (SIGINT, then SIGKILL), runs the commands registered with e2e_defer in
# reverse order, and (for e2e_fail) copies the example's output into the log
# that run.sh shows.
#
# A typical case:
#
#     e2e_need_example bootstrap              # skip if its .wasm was not built
#     e2e_start bootstrap                     # wasm-bpf run bootstrap.wasm, in the background
#     e2e_wait_line 'TIME +EVENT' 10          # the header: attached
#     /bin/true                               # cause what it watches
#     e2e_wait_line "EXEC +true +[0-9]+" 5 || e2e_fail "no EXEC line for true"
#     e2e_stop                                # SIGINT; status in $E2E_STATUS
#     e2e_expect_status 0 130                 # one of the allowed statuses
#     e2e_check_gone                          # its progs/maps/links are gone
#     e2e_expect_line '^[0-9]+ events$'       # the summary printed after Ctrl-C
#
# After SIGINT wasm-bpf exits 130 (docs/cli.md) once the guest has finished:
# the guest's blocked poll or sleep returns early, so it still prints its
# summary. An example that ends by itself (a count, -d): call
# e2e_record_owned while it runs, then e2e_wait_exit, e2e_check_gone.
#
# Environment given by run.sh (defaults make a case runnable by hand from the
# repository root with `bash tests/e2e/run.sh NAME`):
#   E2E_ROOT      repository root (absolute)
#   WB_BIN        the wasm-bpf binary (absolute)
#   E2E_EXAMPLES  examples directory (absolute); example X is
#                 $E2E_EXAMPLES/X/build/X.wasm
#   E2E_TMP       scratch directory of this case (also the current directory)
#   E2E_RESULT    file where e2e_fail/e2e_skip write their reason
#
# Variables set by the helpers:
#   E2E_PID       pid of the running example (the wasm-bpf process itself)
#   E2E_OUT       file with the example's stdout;  E2E_ERR: its stderr
#   E2E_STATUS    exit status after e2e_stop / e2e_wait_exit
#   E2E_LINE      the line that e2e_wait_line matched

E2E_ROOT=${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WB_BIN=${WB_BIN:-$E2E_ROOT/build/wasm-bpf}
E2E_EXAMPLES=${E2E_EXAMPLES:-$E2E_ROOT/examples}
E2E_TMP=${E2E_TMP:-$(mktemp -d /tmp/e2e.XXXXXX)}
E2E_RESULT=${E2E_RESULT:-$E2E_TMP/result}
E2E_PID=
E2E_OUT=
E2E_ERR=
E2E_STATUS=
E2E_LINE=
E2E_OWNED=
E2E_BEFORE=
E2E_RUNS=0
E2E_DEFERRED=()

# ---------------------------------------------------------------- outcome

# e2e_pass: end the case successfully.
e2e_pass()
{
	exit 0
}

# e2e_fail REASON...: end the case as failed, with a one-line reason.
e2e_fail()
{
	echo "$*" > "$E2E_RESULT"
	exit 1
}

# e2e_skip REASON...: end the case as skipped (missing kernel feature, tool).
e2e_skip()
{
	echo "$*" > "$E2E_RESULT"
	exit 77
}

# e2e_defer CMD...: run CMD (with eval) when the case ends, whatever the way;
# last registered, first run. For namespaces, cgroups, interfaces, files.
e2e_defer()
{
	E2E_DEFERRED+=("$*")
}

e2e__on_exit()
{
	local rc=$? i
	if [ -n "$E2E_PID" ] && kill -0 "$E2E_PID" 2>/dev/null; then
		kill -INT "$E2E_PID" 2>/dev/null
		for i in $(seq 30); do
			kill -0 "$E2E_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$E2E_PID" 2>/dev/null
		wait "$E2E_PID" 2>/dev/null
	fi
	for ((i = ${#E2E_DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${E2E_DEFERRED[$i]}" >/dev/null 2>&1
	done
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "$E2E_OUT" ]; then
		echo "--- stdout of the example (tail)"
		tail -n 20 "$E2E_OUT" 2>/dev/null
		echo "--- stderr of the example (tail)"
		tail -n 20 "$E2E_ERR" 2>/dev/null
	fi
	exit "$rc"
}
trap e2e__on_exit EXIT
# A timeout (run.sh) sends SIGTERM: leave through the EXIT trap, cleanups included.
trap 'echo "terminated (time limit?)" > "$E2E_RESULT"; exit 143' TERM

# ---------------------------------------------------------------- prerequisites

# e2e_need_example NAME: skip unless examples/NAME/build/NAME.wasm exists.
e2e_need_example()
{
	[ -f "$(e2e_wasm "$1")" ] || e2e_skip "example $1 not built ($(e2e_wasm "$1"))"
}

# e2e_wasm NAME: path of the example's module.
e2e_wasm()
{
	echo "$E2E_EXAMPLES/$1/build/$1.wasm"
}

# e2e_need_cmd CMD...: skip unless every command exists.
e2e_need_cmd()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || e2e_skip "command $c not found"
	done
}

# e2e_need_tracepoint CATEGORY/NAME: skip unless tracefs has it (mounts tracefs).
e2e_need_tracepoint()
{
	e2e_tracefs
	[ -d "/sys/kernel/tracing/events/$1" ] || e2e_skip "no tracepoint $1"
}

# e2e_tracefs: make sure /sys/kernel/tracing is mounted (libbpf reads
# tracepoint ids there).
e2e_tracefs()
{
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
}

# ---------------------------------------------------------------- running an example

# e2e_start [--dir D]... [--opt OPTION]... [--wrap CMD] NAME [ARGS...]: start
# example NAME (wasm-bpf run NAME.wasm ARGS) in the background. Its stdout
# goes to $E2E_OUT, stderr to $E2E_ERR; E2E_PID is the wasm-bpf process (the
# runtime itself, not a shell: signals reach it directly). --dir D and each
# --opt OPTION (one word, e.g. --opt --allow-prog-type --opt lsm) are given to
# wasm-bpf run; --wrap CMD prefixes the command (e.g. "ip netns exec ns1",
# word-split). Note: SIGINT sent before the runtime installs its handler is
# lost (background jobs ignore SIGINT): wait for a line first (e2e_wait_ready).
e2e_start()
{
	local opts=() wrap=
	while [ $# -gt 0 ]; do
		case $1 in
		--dir) opts+=(--dir "$2"); shift 2 ;;
		--opt) opts+=("$2"); shift 2 ;;
		--wrap) wrap=$2; shift 2 ;;
		*) break ;;
		esac
	done
	local name=$1
	shift
	# A new pair of files for every start, kept for the log: NAME.N.out/err.
	E2E_RUNS=$((E2E_RUNS + 1))
	E2E_OUT=$E2E_TMP/$name.$E2E_RUNS.out
	E2E_ERR=$E2E_TMP/$name.$E2E_RUNS.err
	: > "$E2E_OUT"
	: > "$E2E_ERR"
	E2E_STATUS=
	E2E_OWNED=
	e2e_snapshot "$E2E_TMP/$name.before-ids"
	E2E_BEFORE=$E2E_TMP/$name.before-ids
	# Background jobs of a script start with SIGINT ignored; wasm-bpf
	# installs its own handler, so the SIGINT of e2e_stop still reaches it.
	# shellcheck disable=SC2086
	$wrap "$WB_BIN" run "${opts[@]}" "$(e2e_wasm "$name")" "$@" \
		> "$E2E_OUT" 2> "$E2E_ERR" < /dev/null &
	E2E_PID=$!
}

# e2e_wait_line REGEX [TIMEOUT_S] [FILE]: wait until a line of FILE (default
# the example's stdout) matches the extended regular expression REGEX. Sets
# E2E_LINE to the first such line; returns 1 on timeout (default 10 s) or if
# the example ended without printing it.
e2e_wait_line()
{
	local re=$1 timeout=${2:-10} file=${3:-$E2E_OUT} end
	end=$(($(date +%s%N) / 1000000 + timeout * 1000))
	while :; do
		E2E_LINE=$(grep -m 1 -E -- "$re" "$file" 2>/dev/null)
		[ -n "$E2E_LINE" ] && return 0
		if [ -n "$E2E_PID" ] && ! kill -0 "$E2E_PID" 2>/dev/null; then
			E2E_LINE=$(grep -m 1 -E -- "$re" "$file" 2>/dev/null)
			[ -n "$E2E_LINE" ] && return 0
			return 1
		fi
		[ "$(($(date +%s%N) / 1000000))" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# e2e_count_lines REGEX [FILE]: how many lines of FILE (default stdout) match.
e2e_count_lines()
{
	grep -c -E -- "$1" "${2:-$E2E_OUT}" 2>/dev/null
}

# e2e_wait_ready [REGEX [TIMEOUT_S]]: wait for a line of stdout matching REGEX
# (default: any line; examples print their header once attached), up to
# TIMEOUT_S (default 15), or fail the case, with stderr's tail if the example
# exited first: the common start-up check.
e2e_wait_ready()
{
	local re=${1:-.} timeout=${2:-15}
	e2e_wait_line "$re" "$timeout" && return 0
	if ! kill -0 "$E2E_PID" 2>/dev/null; then
		wait "$E2E_PID"
		E2E_STATUS=$?
		E2E_PID=
		e2e_fail "exited with status $E2E_STATUS before printing /$re/: $(tail -n 2 "$E2E_ERR" | tr '\n' ' ')"
	fi
	e2e_fail "no /$re/ within ${timeout}s"
}

# e2e_owned_ids [PID]: "prog ID", "map ID", "link ID" lines for the kernel
# objects that process PID (default E2E_PID) holds descriptors of, read from
# /proc/PID/fdinfo (prog_id:, map_id:, link_id: lines; a link's fdinfo also
# names its program). Immune to other processes loading eBPF meanwhile.
e2e_owned_ids()
{
	local pid=${1:-$E2E_PID}
	[ -n "$pid" ] || return 0
	cat /proc/"$pid"/fdinfo/* 2>/dev/null | awk '
		/^prog_id:/ { print "prog", $2 }
		/^map_id:/ { print "map", $2 }
		/^link_id:/ { print "link", $2 }' | LC_ALL=C sort -u
}

# e2e_ids: every "prog ID", "map ID", "link ID" in the kernel now (sorted).
e2e_ids()
{
	local kind
	for kind in prog map link; do
		bpftool "$kind" list 2>/dev/null | awk -v k="$kind" '/^[0-9]+:/ { print k, $1 + 0 }'
	done | LC_ALL=C sort
}

# e2e_snapshot FILE: save the current id set (for e2e_leaks_since).
e2e_snapshot()
{
	e2e_ids > "$1"
}

# e2e_leaks_since FILE: print the objects that exist now but not in FILE,
# after letting the kernel free released objects (up to 3 s). Empty: none.
# Note: objects created meanwhile by other processes count too; prefer
# e2e_check_gone when the example's objects can be recorded while it runs.
e2e_leaks_since()
{
	local i new
	for i in $(seq 30); do
		new=$(e2e_ids | LC_ALL=C comm -13 "$1" -)
		[ -z "$new" ] && return 0
		sleep 0.1
	done
	echo "$new" | tr '\n' ' '
}

# e2e_record_owned: remember the objects the running example holds (called by
# e2e_stop before it signals; call it yourself before an expected exit).
e2e_record_owned()
{
	local o
	o=$(e2e_owned_ids)
	[ -n "$o" ] && E2E_OWNED=$o
	return 0
}

# e2e_check_gone: fail the case if any object recorded by e2e_record_owned
# still exists (waits up to 3 s for the kernel to free them). If nothing was
# recorded, fall back to the objects created since e2e_start (which may count
# objects of other processes too).
e2e_check_gone()
{
	local i left now
	if [ -z "$E2E_OWNED" ]; then
		# Nothing recorded (the example ended before e2e_record_owned
		# could look): fall back to new ids since e2e_start.
		[ -n "$E2E_BEFORE" ] || return 0
		left=$(e2e_leaks_since "$E2E_BEFORE")
		[ -z "$left" ] && return 0
		e2e_fail "left in the kernel (new since start): $left"
	fi
	for i in $(seq 30); do
		now=$(e2e_ids)
		left=$(LC_ALL=C comm -12 <(echo "$E2E_OWNED") <(echo "$now"))
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	e2e_fail "left in the kernel: $(echo "$left" | tr '\n' ' ')"
}

# e2e__check_sanitizer: fail if the example's stderr has a sanitizer report
# (WB_BIN built with `make SANITIZE=1`). Called when an example ends.
e2e__check_sanitizer()
{
	local r
	r=$(grep -m 1 -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
		"$E2E_ERR" 2>/dev/null)
	[ -z "$r" ] || e2e_fail "sanitizer report: $r"
}

# e2e_stop [TIMEOUT_S]: record the example's objects, send it SIGINT and wait
# for it to exit (default 10 s; then SIGKILL and fail). E2E_STATUS is its
# exit status.
e2e_stop()
{
	local timeout=${1:-10} i
	[ -n "$E2E_PID" ] || e2e_fail "e2e_stop: no example running"
	e2e_record_owned
	kill -INT "$E2E_PID" 2>/dev/null
	for ((i = 0; i < timeout * 10; i++)); do
		kill -0 "$E2E_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$E2E_PID" 2>/dev/null; then
		kill -KILL "$E2E_PID" 2>/dev/null
		wait "$E2E_PID" 2>/dev/null
		E2E_PID=
		e2e_fail "still running ${timeout}s after SIGINT"
	fi
	wait "$E2E_PID"
	E2E_STATUS=$?
	E2E_PID=
	e2e__check_sanitizer
}

# e2e_wait_exit [TIMEOUT_S]: wait for the example to end by itself (default
# 10 s; then fail). E2E_STATUS is its exit status. Both fail the case if the
# runtime printed a sanitizer report.
e2e_wait_exit()
{
	local timeout=${1:-10} i
	[ -n "$E2E_PID" ] || e2e_fail "e2e_wait_exit: no example running"
	for ((i = 0; i < timeout * 10; i++)); do
		kill -0 "$E2E_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$E2E_PID" 2>/dev/null && e2e_fail "did not exit within ${timeout}s"
	wait "$E2E_PID"
	E2E_STATUS=$?
	E2E_PID=
	e2e__check_sanitizer
}

# e2e_expect_status S...: fail unless E2E_STATUS is one of S.
e2e_expect_status()
{
	local s
	for s in "$@"; do
		[ "$E2E_STATUS" = "$s" ] && return 0
	done
	e2e_fail "exit status $E2E_STATUS, want $*: $(tail -n 2 "$E2E_ERR" | tr '\n' ' ')"
}

# e2e_expect_line REGEX [WHAT]: fail unless a line of stdout matches REGEX.
e2e_expect_line()
{
	grep -q -E -- "$1" "$E2E_OUT" || e2e_fail "no line matching /$1/${2:+ ($2)}"
}

# e2e_field N [LINE]: the N-th whitespace-separated field of LINE (default E2E_LINE).
e2e_field()
{
	echo "${2:-$E2E_LINE}" | awk -v n="$1" '{ print $n }'
}
