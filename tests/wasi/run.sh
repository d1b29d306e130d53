#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the WASI test programs natively and under `wasm-bpf run` and compares
# stdout, stderr, exit code and the files left in the working directory;
# runs the confinement (escape_*, nogrant, rodir_*), trap_* and sigint_*
# programs under wasm-bpf alone against expectations (see README.md).
#
# usage: run.sh CLI_BIN BUILD_DIR [TEST...]
#   BUILD_DIR holds native/NAME (gcc) and wasm/NAME.wasm (clang).
# environment:
#   WASI_CLI      command used instead of "CLI_BIN run" (e.g. a reference runtime)
#   WASI_TRAP_RC  exit code the CLI documents for a trap (default: any 1..128)
#   WASI_TIMEOUT  seconds per program run (default 120)
#   KEEP=1        keep the scratch directory and print its path

set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 CLI_BIN BUILD_DIR [TEST...]" >&2
	exit 2
fi
CLI=$1
BDIR=$2
shift 2
SRC=$(cd "$(dirname "$0")" && pwd)
# Programs run from their scratch directories: make the paths absolute.
case $CLI in
*/*) [ -e "$CLI" ] && CLI=$(cd "$(dirname "$CLI")" && pwd)/${CLI##*/} ;;
esac
BDIR=$(cd "$BDIR" 2>/dev/null && pwd) || {
	echo "FAIL all: no build directory $2"
	echo "wasi: 0 passed, 1 failed, 0 skipped"
	exit 1
}
NATIVE=$BDIR/native
WASM=$BDIR/wasm
TIMEOUT=${WASI_TIMEOUT:-120}
read -r -a RUN <<<"${WASI_CLI:-$CLI run}"
GUEST=/work

pass=0
fail=0
skip=0

if [ -z "${WASI_CLI:-}" ] && [ ! -x "$CLI" ]; then
	echo "SKIP all: $CLI not built"
	echo "wasi: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/wasi-tests.XXXXXX")
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "scratch kept in $SCRATCH"
	else
		rm -rf "$SCRATCH"
	fi
}
trap cleanup EXIT

# Inputs fed on stdin; the same file goes to both runs.
make_inputs() {
	{
		printf 'first line\n'
		printf '\n'
		printf 'words  and\ttabs here\n'
		printf 'dos line\r\n'
		printf 'unicode: h\303\251llo \342\202\254 \360\237\231\202\n'
		head -c 5000 /dev/zero | tr '\0' 'x'
		printf '\n'
		seq 1 2000
		printf 'no newline at the end'
	} >"$SCRATCH/input.txt"
	{
		seq 1 30000
		printf '\000\001\002\377\377\000'
		head -c 100000 /dev/zero
		seq 30000 -1 1
	} >"$SCRATCH/input.bin"
	: >"$SCRATCH/empty"
}

# Per-test arguments (after the working directory), environment and stdin.
config() {
	local i
	ARGS=()
	ENVS=()
	STDIN=$SCRATCH/empty
	PIPE=0
	case $1 in
	args)
		# shellcheck disable=SC2016 # $HOME goes to the guest unexpanded
		ARGS=(one "two words" "" "h$(printf '\303\251')llo" --flag=x
		      "a'b\"c" '$HOME' '*')
		;;
	args_many)
		mapfile -t ARGS < <(seq 1 3000)
		ARGS+=("$(head -c 100000 /dev/zero | tr '\0' 'q')" "" "last")
		for i in $(seq 1 300); do
			ENVS+=("WT_VAR_$i=value $i")
		done
		;;
	getenv)
		ENVS=(WT_A=1 "WT_SPACE=a b  c" WT_EMPTY= WT_EQ=x=y=z
		      "WT_UTF8=$(printf '\342\202\254')" ZZ_LAST=end)
		;;
	stdin_lines | stdio_info)
		STDIN=$SCRATCH/input.txt
		;;
	stdin_binary)
		STDIN=$SCRATCH/input.bin
		;;
	stdin_pipe)
		STDIN=$SCRATCH/input.bin
		PIPE=1
		;;
	esac
}

# A listing of a directory tree: type, relative path, size and content hash
# of files, target of symlinks. Modes and times are not compared.
tree() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
		if [ -L "$p" ]; then
			echo "L $p -> $(readlink "$p")"
		elif [ -d "$p" ]; then
			echo "D $p"
		elif [ -f "$p" ]; then
			echo "F $p $(stat -c %s "$p") $(sha256sum <"$p" | cut -c1-16)"
		else
			echo "? $p"
		fi
	done)
}

# Print at most 20 lines of a diff, indented.
short_diff() {
	diff -u "$1" "$2" | sed -n '3,22p' | sed 's/^/    /'
}

# Sanitizer or crash reports from the host on stderr.
host_crashed() {
	grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:|Segmentation fault|core dumped' "$1"
}

run_wasm() { # dir-or-empty stdin out err envs... -- args...
	local dir=$1 in=$2 out=$3 err=$4
	shift 4
	local opts=()
	case $dir in
	"") ;;
	ro:*) opts+=(--dir-ro "${dir#ro:}::$GUEST") ;;
	*) opts+=(--dir "$dir::$GUEST") ;;
	esac
	while [ "$1" != -- ]; do
		opts+=(--env "$1")
		shift
	done
	shift
	timeout "$TIMEOUT" "${RUN[@]}" "${opts[@]}" "$@" <"$in" >"$out" 2>"$err"
}

result_fail() {
	echo "FAIL $1: $2"
	fail=$((fail + 1))
}

# Compared programs: native and wasm must agree on everything.
test_compare() {
	local t=$1 d=$SCRATCH/$1 why=''
	local nrc wrc
	config "$t"
	if [ ! -x "$NATIVE/$t" ]; then
		result_fail "$t" "native build missing"
		return
	fi
	mkdir -p "$d/native" "$d/wasm"
	if [ "$PIPE" = 1 ]; then
		# stdin is a pipe (so: cat); exit codes come from the last command.
		# shellcheck disable=SC2002
		(cd "$d" && cat "$STDIN" | timeout "$TIMEOUT" env -i "${ENVS[@]}" \
			"$NATIVE/$t" "$d/native" "${ARGS[@]}" >"$d/n.out" 2>"$d/n.err")
		nrc=$?
		# shellcheck disable=SC2002
		(cd "$d" && cat "$STDIN" | run_wasm "$d/wasm" /dev/stdin "$d/w.out" \
			"$d/w.err" "${ENVS[@]}" -- "$WASM/$t.wasm" "$GUEST" "${ARGS[@]}")
		wrc=$?
	else
		(cd "$d" && timeout "$TIMEOUT" env -i "${ENVS[@]}" "$NATIVE/$t" \
			"$d/native" "${ARGS[@]}" <"$STDIN" >"$d/n.out" 2>"$d/n.err")
		nrc=$?
		(cd "$d" && run_wasm "$d/wasm" "$STDIN" "$d/w.out" "$d/w.err" \
			"${ENVS[@]}" -- "$WASM/$t.wasm" "$GUEST" "${ARGS[@]}")
		wrc=$?
	fi
	tree "$d/native" >"$d/n.tree"
	tree "$d/wasm" >"$d/w.tree"
	if host_crashed "$d/w.err"; then
		why="host crashed"
	elif [ "$wrc" = 124 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ "$nrc" = 124 ]; then
		why="the native run timed out after ${TIMEOUT}s"
	elif [ "$nrc" != "$wrc" ]; then
		why="exit code native $nrc, wasm $wrc"
	elif ! cmp -s "$d/n.out" "$d/w.out"; then
		why="stdout differs"
	elif ! cmp -s "$d/n.err" "$d/w.err"; then
		why="stderr differs"
	elif ! cmp -s "$d/n.tree" "$d/w.tree"; then
		why="files differ"
	fi
	if [ -z "$why" ]; then
		echo "PASS $t"
		pass=$((pass + 1))
		return
	fi
	result_fail "$t" "$why"
	case $why in
	"stdout differs") short_diff "$d/n.out" "$d/w.out" ;;
	"files differ") short_diff "$d/n.tree" "$d/w.tree" ;;
	*)
		short_diff "$d/n.err" "$d/w.err"
		[ "$nrc" != "$wrc" ] && short_diff "$d/n.out" "$d/w.out"
		;;
	esac
}

# The layout escape programs are run in: the granted directory is
# $d/top/outer/granted, holding symlinks that point out of it.
escape_layout() {
	local d=$1 g=$1/top/outer/granted
	mkdir -p "$g/sub" "$1/top/outer/other"
	echo "secret outside" >"$1/top/outer/secret.txt"
	echo "sentinel" >"$1/top/outside.txt"
	echo "other" >"$1/top/outer/other/file.txt"
	mkdir "$1/top/outer/empty_dir"
	echo "inside" >"$g/inside.txt"
	echo "inside two" >"$g/sub/inside2.txt"
	ln -s / "$g/root_link"
	ln -s .. "$g/up_link"
	ln -s ../.. "$g/up2_link"
	ln -s /etc/passwd "$g/abs_passwd"
	ln -s ../secret.txt "$g/rel_secret"
	ln -s ../../secret.txt "$g/sub/deep_secret"
	ln -s loop_b "$g/loop_a"
	ln -s loop_a "$g/loop_b"
	ln -s self_loop "$g/self_loop"
	ln -s sub/inside2.txt "$g/in_link"
	ln -s ../inside.txt "$g/sub/up_ok"
	ln -s sub "$g/dir_link"
	ln -s missing_target "$g/dangling"
}

# Modification times of everything outside the granted directory.
outside_times() {
	(cd "$1" && find . -path '*/granted' -prune -o -printf '%p %T@\n' |
		LC_ALL=C sort)
}

# Escape, no-grant and read-only (granted with --dir-ro) programs: stdout
# must equal expected/NAME.out, exit 0, and nothing outside (or inside) the
# granted directory may change.
test_expect() {
	local t=$1 d=$SCRATCH/$1 why='' rc exp=$SRC/expected/$1.out
	local passwd_before passwd_after created
	mkdir -p "$d"
	escape_layout "$d"
	tree "$d/top" >"$d/before.tree"
	outside_times "$d/top" >"$d/before.times"
	passwd_before=$(sha256sum </etc/passwd)
	rm -rf /tmp/wasi-escape-* /tmp/wasi-nogrant*
	if [ "${t#nogrant}" != "$t" ]; then
		(cd "$d" && run_wasm "" "$SCRATCH/empty" "$d/w.out" "$d/w.err" \
			-- "$WASM/$t.wasm" "$GUEST")
	elif [ "${t#rodir_}" != "$t" ]; then
		(cd "$d" && run_wasm "ro:$d/top/outer/granted" "$SCRATCH/empty" \
			"$d/w.out" "$d/w.err" -- "$WASM/$t.wasm" "$GUEST")
	else
		(cd "$d" && run_wasm "$d/top/outer/granted" "$SCRATCH/empty" \
			"$d/w.out" "$d/w.err" -- "$WASM/$t.wasm" "$GUEST")
	fi
	rc=$?
	tree "$d/top" >"$d/after.tree"
	outside_times "$d/top" >"$d/after.times"
	passwd_after=$(sha256sum </etc/passwd)
	created=$(find /tmp -maxdepth 1 \( -name 'wasi-escape-*' -o -name 'wasi-nogrant*' \) \
		-printf '%p ')
	rm -rf /tmp/wasi-escape-* /tmp/wasi-nogrant*
	if host_crashed "$d/w.err"; then
		why="host crashed"
	elif [ "$rc" = 124 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ ! -f "$exp" ]; then
		why="no expected output $exp"
	elif ! cmp -s "$d/before.tree" "$d/after.tree"; then
		why="files changed"
	elif ! cmp -s "$d/before.times" "$d/after.times"; then
		why="times outside the granted directory changed"
	elif [ "$passwd_before" != "$passwd_after" ]; then
		why="/etc/passwd changed"
	elif [ -n "$created" ]; then
		why="created outside: $created"
	elif ! cmp -s "$exp" "$d/w.out"; then
		why="stdout differs from expected/$t.out"
	elif [ "$rc" != 0 ]; then
		why="exit code $rc, expected 0"
	fi
	if [ -z "$why" ]; then
		echo "PASS $t"
		pass=$((pass + 1))
		return
	fi
	result_fail "$t" "$why"
	case $why in
	"files changed") short_diff "$d/before.tree" "$d/after.tree" ;;
	times*) short_diff "$d/before.times" "$d/after.times" ;;
	stdout*) short_diff "$exp" "$d/w.out" ;;
	*) sed -n '1,10p' "$d/w.err" | sed 's/^/    /' ;;
	esac
}

# What the CLI must say on stderr for each trap program (extended regex,
# case-insensitive).
trap_pattern() {
	case $1 in
	trap_unreachable) echo 'unreachable' ;;
	trap_null_call) echo 'uninitiali[sz]ed|null|undefined element|indirect call' ;;
	trap_bad_index) echo 'undefined element|out of bounds|table' ;;
	trap_bad_signature) echo 'signature|type mismatch|indirect call type' ;;
	trap_oob_store | trap_oob_load) echo 'out of bounds|memory access' ;;
	trap_stack_overflow) echo 'stack|call depth|exhausted|overflow' ;;
	trap_div_zero) echo 'divi(de|sion) by zero' ;;
	trap_int_overflow) echo 'integer overflow' ;;
	trap_after_output) echo 'unreachable' ;;
	*) echo 'trap' ;;
	esac
}

# Trap programs: a non-zero exit (the documented trap code when given), a
# message naming the trap, no signal death and no sanitizer report.
test_trap() {
	local t=$1 d=$SCRATCH/$1 why='' rc pat
	mkdir -p "$d/wasm"
	(cd "$d" && run_wasm "$d/wasm" "$SCRATCH/empty" "$d/w.out" "$d/w.err" \
		-- "$WASM/$t.wasm" "$GUEST")
	rc=$?
	pat=$(trap_pattern "$t")
	if host_crashed "$d/w.err"; then
		why="host crashed"
	elif [ "$rc" = 124 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ -n "${WASI_TRAP_RC:-}" ] && [ "$rc" != "$WASI_TRAP_RC" ]; then
		why="exit code $rc, expected $WASI_TRAP_RC"
		[ "$rc" -gt 128 ] && why="$why (killed by signal $((rc - 128))?)"
	elif [ -z "${WASI_TRAP_RC:-}" ] && [ "$rc" -gt 128 ]; then
		why="killed by signal $((rc - 128))"
	elif [ "$rc" = 0 ]; then
		why="exit code 0"
	elif ! grep -qiE "$pat" "$d/w.err"; then
		why="stderr does not match /$pat/"
	elif [ "$t" = trap_after_output ] && ! grep -qx 'before the trap' "$d/w.out"; then
		why="output before the trap was lost"
	fi
	if [ -z "$why" ]; then
		echo "PASS $t"
		pass=$((pass + 1))
		return
	fi
	result_fail "$t" "$why"
	sed -n '1,10p' "$d/w.err" | sed 's/^/    /'
}

# SIGINT programs: once the guest says "ready", SIGINT must end the CLI
# within a few seconds with exit 130 and "interrupted" on stderr
# (docs/cli.md), whether the guest spins, sleeps or blocks in a read.
test_sigint() {
	local t=$1 d=$SCRATCH/$1 why='' rc pid i holder=''
	mkdir -p "$d/wasm"
	if [ "$t" = sigint_read ]; then
		# A pipe whose writer stays silent until killed.
		mkfifo "$d/fifo"
		sleep 120 >"$d/fifo" &
		holder=$!
		exec 9<"$d/fifo"
	else
		exec 9<"$SCRATCH/empty"
	fi
	# Background jobs start with SIGINT ignored; give the CLI the default.
	(cd "$d" && exec env --default-signal=INT "${RUN[@]}" --dir "$d/wasm::$GUEST" \
		"$WASM/$t.wasm" "$GUEST" <&9 >"$d/w.out" 2>"$d/w.err") &
	pid=$!
	exec 9<&-
	for i in $(seq 1 100); do
		grep -q ready "$d/w.out" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.2
	kill -INT "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		why="still running 5 s after SIGINT"
	fi
	wait "$pid"
	rc=$?
	[ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
	if [ -n "$why" ]; then
		:
	elif ! grep -q ready "$d/w.out"; then
		why="never said ready"
	elif host_crashed "$d/w.err"; then
		why="host crashed"
	elif [ "$rc" != 130 ]; then
		why="exit code $rc, expected 130"
	elif ! grep -qi interrupted "$d/w.err"; then
		why="no \"interrupted\" on stderr"
	fi
	if [ -z "$why" ]; then
		echo "PASS $t"
		pass=$((pass + 1))
		return
	fi
	result_fail "$t" "$why"
	sed -n '1,10p' "$d/w.err" | sed 's/^/    /'
}

make_inputs
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for f in "$WASM"/*.wasm; do
		[ -e "$f" ] || continue
		f=${f##*/}
		tests+=("${f%.wasm}")
	done
fi
if [ ${#tests[@]} = 0 ]; then
	echo "FAIL all: no programs in $WASM"
	fail=1
fi

for t in "${tests[@]}"; do
	if [ ! -f "$WASM/$t.wasm" ]; then
		result_fail "$t" "no $WASM/$t.wasm"
		continue
	fi
	case $t in
	escape_* | nogrant* | rodir_*) test_expect "$t" ;;
	trap_*) test_trap "$t" ;;
	sigint_*) test_sigint "$t" ;;
	*) test_compare "$t" ;;
	esac
done

echo "wasi: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
