#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The differential test (see tests/diff/README.md): random modules from
# gen.c, run by wabt's wasm-interp (the reference), whose results become a
# .wast that the spec runner checks against our engine.
#
# Usage: tests/diff/run.sh GEN SPEC_RUNNER WORK_DIR
#   DIFF_SEEDS=N   seeds 1..N (default 200)
#   DIFF_SEED=S    only seed S; its files stay in WORK_DIR/seed-S
#   DIFF_WAT=F     not generated: the module in file F (for shrinking a failure
#                  by hand); its files stay in WORK_DIR/seed-wat
#   DIFF_KEEP=1    keep every seed's files in WORK_DIR (default: only failures)
#   DIFF_JOBS=J    reference runs in parallel (default: the number of CPUs)
#   DIFF_RUNNER_ARGS=A  more options for the spec runner, e.g. --jit
#   DIFF_LABEL=L   what the messages start with (default: diff)
#   DIFF_TARGET=T  the make target the messages suggest rerunning (default: test-diff)
#   WAT2WASM, WAST2JSON, WASM_INTERP   the wabt tools (default: from PATH)
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 GEN SPEC_RUNNER WORK_DIR" >&2
	exit 2
fi
GEN=$1
RUNNER=$2
WORK=$3
WAT2WASM=${WAT2WASM:-wat2wasm}
WAST2JSON=${WAST2JSON:-wast2json}
WASM_INTERP=${WASM_INTERP:-wasm-interp}
JOBS=${DIFF_JOBS:-$(nproc 2>/dev/null || echo 2)}
LABEL=${DIFF_LABEL:-diff}
TARGET=${DIFF_TARGET:-test-diff}
read -r -a RUNNER_ARGS <<< "${DIFF_RUNNER_ARGS:-}"

if [ -n "${DIFF_WAT:-}" ]; then
	SEEDS=wat
	DIFF_SEED=wat
	DIFF_WAT=$(realpath "$DIFF_WAT") || exit 2
elif [ -n "${DIFF_SEED:-}" ]; then
	SEEDS=$DIFF_SEED
else
	SEEDS=$(seq 1 "${DIFF_SEEDS:-200}")
fi

# Make diffS.wast in WORK/seed-S: the module's text, then one assertion per
# export with the result wasm-interp gives. Failures go to WORK/seed-S/error.
reference() {
	local s=$1 d=$WORK/seed-$1
	local m=$d/diff$1

	rm -rf "$d" && mkdir -p "$d" || return 1
	if [ "$s" = wat ]; then
		cp "$DIFF_WAT" "$m.wat" || return 1
	elif ! "$GEN" "$s" > "$m.wat"; then
		echo "gen failed" > "$d/error"
		return 0
	fi
	if ! "$WAT2WASM" "$m.wat" -o "$m.wasm" 2> "$d/wat2wasm.log"; then
		echo "wat2wasm rejects the module (a generator bug): $(head -3 "$d/wat2wasm.log")" \
			> "$d/error"
		return 0
	fi
	if ! "$WASM_INTERP" "$m.wasm" --run-all-exports > "$d/reference.txt" 2>&1; then
		echo "wasm-interp failed: $(tail -3 "$d/reference.txt")" > "$d/error"
		return 0
	fi
	# f0() => i32:123  /  f1() => error: out of bounds memory access: access at ...
	# (i32 and i64 results only: wasm-interp rounds the floats it prints)
	if ! { cat "$m.wat"; awk '
		match($0, /^[A-Za-z0-9_.$-]+\(\) =>/) {
			name = substr($0, 1, index($0, "(") - 1)
			rest = substr($0, RLENGTH + 2)
			if (rest ~ /^error: /) {
				msg = substr(rest, 8)
				sub(/:.*/, "", msg)
				if (msg == "unreachable executed")
					msg = "unreachable"
				printf "(assert_trap (invoke \"%s\") \"%s\")\n", name, msg
				next
			}
			if (rest ~ /^(i(32|64):[0-9]+(, )?)*$/) {
				printf "(assert_return (invoke \"%s\")", name
				n = split(rest, vals, ", ")
				for (i = 1; i <= n; i++) {
					split(vals[i], v, ":")
					printf " (%s.const %s)", v[1], v[2]
				}
				printf ")\n"
				next
			}
		}
		{ print "unexpected wasm-interp output: " $0 > "/dev/stderr"; bad = 1 }
		END { exit bad }' "$d/reference.txt"; } > "$m.wast" 2> "$d/awk.log"; then
		head -1 "$d/awk.log" > "$d/error"
		return 0
	fi
	if ! "$WAST2JSON" "$m.wast" -o "$m.json" 2> "$d/wast2json.log"; then
		echo "wast2json failed: $(head -3 "$d/wast2json.log")" > "$d/error"
		return 0
	fi
}

mkdir -p "$WORK" || exit 1
rm -rf "$WORK"/seed-* "$WORK/engine.txt"
export GEN WORK WAT2WASM WAST2JSON WASM_INTERP DIFF_WAT
export -f reference
# shellcheck disable=SC2086
if ! printf '%s\n' $SEEDS | xargs -P "$JOBS" -I{} bash -c 'reference {}'; then
	echo "$LABEL: cannot write to $WORK" >&2
	exit 1
fi

status=0
bad=()
for s in $SEEDS; do
	if [ -f "$WORK/seed-$s/error" ]; then
		echo "$LABEL: seed $s: $(cat "$WORK/seed-$s/error")"
		echo "$LABEL: files kept in $WORK/seed-$s"
		bad+=("$s")
		status=1
	fi
done
[ "$status" -eq 0 ] || exit 1

jsons=()
for s in $SEEDS; do
	jsons+=("$WORK/seed-$s/diff$s.json")
done
"$RUNNER" --timeout 30 "${RUNNER_ARGS[@]}" "${jsons[@]}" > "$WORK/engine.txt" 2>&1
rc=$?

# "  FAIL diffS.wast:LINE: assert_return result 0: expected ..., got ..."
# Name the function and both results of the first few, count the rest.
shown=0 results=0
while IFS= read -r line; do
	file=${line#  FAIL }
	file=${file%%:*}
	s=${file#diff}
	s=${s%.wast}
	lno=${line#  FAIL "$file":}
	lno=${lno%%:*}
	cmd=$(sed -n "${lno}p" "$WORK/seed-$s/$file" 2>/dev/null)
	fn=$(sed -n 's/.*(invoke "\([^"]*\)").*/\1/p' <<< "$cmd")
	results=$((results + 1))
	if [ "$shown" -lt 10 ]; then
		if [ -n "$fn" ]; then
			echo "$LABEL: MISMATCH seed $s, $fn: wasm-interp says $cmd"
		else
			echo "$LABEL: MISMATCH seed $s:"
		fi
		echo "${LABEL//?/ }  engine: ${line#  FAIL }"
		shown=$((shown + 1))
	fi
	case " ${bad[*]} " in *" $s "*) ;; *) bad+=("$s") ;; esac
done < <(grep '^  FAIL ' "$WORK/engine.txt")

# "spec: ..." or, with --jit, "spec (jit): ...".
total=$(grep -h '^spec[^:]*: ' "$WORK/engine.txt")
if [ "${#bad[@]}" -ne 0 ] || [ "$rc" -ne 0 ] || ! grep -q ' 0 failed, 0 skipped$' <<< "$total"; then
	if [ "${#bad[@]}" -eq 0 ]; then
		cat "$WORK/engine.txt"
		echo "$LABEL: the spec runner failed (status $rc)"
	else
		[ "$results" -le "$shown" ] || echo "$LABEL: ... and $((results - shown)) more"
		echo "$LABEL: $results results differ in ${#bad[@]} modules (seeds ${bad[*]})"
		echo "$LABEL: their files (diffS.wat, diffS.wast, reference.txt) are in $WORK/seed-S;" \
			"rerun one with make $TARGET DIFF_SEED=S"
	fi
	echo "$LABEL: $WORK/engine.txt has the spec runner's output"
	for s in $SEEDS; do
		case " ${bad[*]} " in *" $s "*) ;; *) [ -n "${DIFF_KEEP:-}" ] || rm -rf "$WORK/seed-$s" ;; esac
	done
	exit 1
fi

modules=0 funcs=0 traps=0 sums=0
for s in $SEEDS; do
	r=$WORK/seed-$s/reference.txt
	modules=$((modules + 1))
	funcs=$((funcs + $(grep -c '() =>' "$r") - $(grep -c '^m[0-9][0-9]*() =>' "$r")))
	traps=$((traps + $(grep -c '() => error: ' "$r")))
	sums=$((sums + $(grep -c '^m[0-9][0-9]*() =>' "$r")))
done
echo "$LABEL: $modules modules, $funcs functions, all agree ($traps traps, $sums memory checksums)"
# Keep the files of a single seed (asked for by DIFF_SEED); otherwise tidy up.
[ -n "${DIFF_SEED:-}" ] || [ -n "${DIFF_KEEP:-}" ] || rm -rf "$WORK"/seed-*
exit 0
