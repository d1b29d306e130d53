#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of `wasm-bpf gen types` and `wasm-bpf gen skeleton` on
# tests/gen/progs/nasty.bpf.c, an object of awkward types (see README.md):
#   - golden outputs (tests/gen/golden/*.h), compared with diff;
#   - the headers compile for wasm32 (and natively) without a warning, so
#     their _Static_asserts on every size and offset hold;
#   - negative tests: a header with one field changed must not compile;
#   - the run-time layout check (gen types --layout-check), for wasm32 under
#     `wasm-bpf run` (or Node's WASI) and natively, also on random types;
#   - a guest that drives nasty.bpf.o through its skeleton on the real
#     kernel and checks every field the eBPF program wrote (root only);
#   - error handling of the command.
#
# usage: run.sh CLI_BIN BUILD_DIR
#   BUILD_DIR holds nasty.bpf.o (built by gen.mk); scratch files go there too.
# environment:
#   GEN_UPDATE=1   rewrite the golden files instead of comparing
#   WASM_CC        clang for wasm32-wasi (default clang), BPF_CLANG likewise
#   GEN_RANDOM     number of random-type rounds (default 3)

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 CLI_BIN BUILD_DIR" >&2
	exit 2
fi
CLI=$1
B=$2
SRC=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$SRC/../.." && pwd)
GOLD=$SRC/golden
WASM_CC=${WASM_CC:-clang}
BPF_CLANG=${BPF_CLANG:-clang}
CC=${CC:-cc}
ROUNDS=${GEN_RANDOM:-3}
WFLAGS="-std=gnu11 -O2 -Wall -Wextra -Werror"

pass=0
fail=0

ok() {
	echo "PASS $1"
	pass=$((pass + 1))
}

ko() {
	echo "FAIL $1${2:+: $2}"
	fail=$((fail + 1))
}

skip() {
	echo "SKIP $1: $2"
}

gen() {
	"$CLI" gen "$@"
}

# Run a wasm32 program: with wasm-bpf if it can run it, else with Node.
run_wasm() {
	if "$CLI" run "$@" 2>/dev/null; then
		return 0
	fi
	if [ -n "$NODE_RUN" ]; then
		node "$TOP/tests/wasi/node-run.mjs" "$@" 2>/dev/null
		return
	fi
	return 1
}

NODE_RUN=
command -v node >/dev/null && [ -f "$TOP/tests/wasi/node-run.mjs" ] && NODE_RUN=yes

if [ ! -f "$B/nasty.bpf.o" ]; then
	skip all "no $B/nasty.bpf.o (it needs /sys/kernel/btf/vmlinux for vmlinux.h)"
	echo "gen: $pass passed, $fail failed"
	exit 0
fi
OBJ=$B/nasty.bpf.o

# ---------------------------------------------------------------- golden outputs

# name, golden file, filter, command...
golden() {
	local name=$1 file=$2 filter=$3 out
	shift 3
	out=$B/$file
	if ! gen "$@" -o "$out.raw" 2>"$B/$name.err"; then
		ko "$name" "gen $* failed: $(cat "$B/$name.err")"
		return
	fi
	$filter <"$out.raw" >"$out"
	if [ "${GEN_UPDATE:-0}" = 1 ]; then
		cp "$out" "$GOLD/$file"
		ok "$name (golden rewritten)"
		return
	fi
	if diff -u "$GOLD/$file" "$out" >"$B/$name.diff"; then
		ok "$name"
	else
		cat "$B/$name.diff"
		ko "$name" "output differs from tests/gen/golden/$file (diff above)"
	fi
}

# The embedded object depends on the compiler: leave its bytes out.
no_bytes() {
	grep -v '^		0x'
}

mkdir -p "$GOLD"
golden types-default nasty.types.h cat types "$OBJ"
golden types-select nasty.select.h cat types "$OBJ" --type nasty_u \
	--type 'struct nasty_holder' --type nasty_tagged_t --type __u64 --guard NASTY_SELECT_H
golden skeleton nasty.skel.h no_bytes skeleton "$OBJ"
cp "$B/nasty.types.h.raw" "$B/nasty.types.h"
cp "$B/nasty.skel.h.raw" "$B/nasty.skel.h"

# ---------------------------------------------------------------- compiles

compile_header() {
	local name=$1 cc=$2 hdr=$3
	shift 3
	printf '#include "%s"\n' "$hdr" >"$B/$name.c"
	if $cc $WFLAGS "$@" -I"$B" -c "$B/$name.c" -o "$B/$name.o" 2>"$B/$name.log"; then
		ok "$name"
	else
		cat "$B/$name.log"
		ko "$name" "does not compile cleanly"
	fi
}

compile_header types-wasm32 "$WASM_CC --target=wasm32-wasi" nasty.types.h
compile_header types-native "$CC" nasty.types.h
compile_header select-wasm32 "$WASM_CC --target=wasm32-wasi" nasty.select.h
compile_header skeleton-wasm32 "$WASM_CC --target=wasm32-wasi" nasty.skel.h \
	-I"$TOP/sdk/c" -Wno-unused-function

# The asserts are there: one per definition, one per named non-bitfield field.
asserts=$(grep -c '_Static_assert' "$B/nasty.types.h")
if [ "$asserts" -ge 60 ]; then
	ok "asserts-emitted ($asserts)"
else
	ko asserts-emitted "only $asserts _Static_asserts"
fi

# A definition of one's own replaces ours through its WB_DEF_ macro and is
# still checked: right with long long (also packed with the hole spelled
# out, like the hand-written headers of the original examples), wrong with
# long (4 bytes on wasm32).
own_def() {
	local name=$1 def=$2 want=$3
	printf '#define WB_DEF_struct_nasty_point\n%s;\n#include "nasty.types.h"\n' "$def" >"$B/$name.c"
	if $WASM_CC --target=wasm32-wasi -std=gnu11 -I"$B" -c "$B/$name.c" -o "$B/$name.o" \
		2>"$B/$name.log"; then
		[ "$want" = ok ] && ok "$name" || ko "$name" "a wrong definition passed the asserts"
	elif [ "$want" = fail ] && grep -q 'static assert\|static_assert' "$B/$name.log"; then
		ok "$name"
	else
		cat "$B/$name.log"
		ko "$name" "did not compile"
	fi
}
own_def own-def-ok 'struct nasty_point { short x; long long y; }' ok
own_def own-def-packed \
	'struct __attribute__((packed)) nasty_point { short x; char pad[6]; long long y; }' ok
own_def own-def-wrong 'struct nasty_point { short x; long y; }' fail

# ---------------------------------------------------------------- negative

# name, sed expression: the edited header must not compile for wasm32.
must_break() {
	local name=$1 expr=$2
	sed -e "$expr" "$B/nasty.types.h" >"$B/$name.h"
	if cmp -s "$B/nasty.types.h" "$B/$name.h"; then
		ko "$name" "the edit '$expr' changed nothing"
		return
	fi
	printf '#include "%s.h"\n' "$name" >"$B/$name.c"
	if $WASM_CC --target=wasm32-wasi -std=gnu11 -I"$B" -c "$B/$name.c" -o "$B/$name.o" \
		2>"$B/$name.log"; then
		ko "$name" "compiled although '$expr' breaks the layout"
	elif grep -q 'static assert\|static_assert' "$B/$name.log"; then
		ok "$name"
	else
		cat "$B/$name.log"
		ko "$name" "failed, but not on a _Static_assert"
	fi
}

# Narrower field: offsets after it move and the size shrinks.
must_break neg-field-type '/^struct nasty_point {/,/^};/s/int64_t y;/int32_t y;/'
# A wider field in a packed struct: every later offset moves.
must_break neg-pad '/^struct __attribute__((packed)) nasty_packed {/,/^};/s/uint8_t a;/uint16_t a;/'
# long as 32-bit: what a naive header would do.
must_break neg-long '/^struct nasty_holder {/,/^};/s/int64_t double_long;/long double_long;/'
# A wrong bitfield unit: caught by the size assert.
must_break neg-bitfield '/^struct nasty_bits {/,/^};/s/uint64_t d : 40;/uint32_t d : 20;/'
# Packing dropped.
must_break neg-unpacked 's/^struct __attribute__((packed)) nasty_packed {/struct nasty_packed {/'

# The whole kernel BTF (about 10000 structs and unions) through the same
# emitter: every _Static_assert must hold on wasm32. wasi-libc's <stdint.h>
# defines struct iovec, timespec and timeval, hence the renames.
if [ -r /sys/kernel/btf/vmlinux ]; then
	if gen types /sys/kernel/btf/vmlinux --kernel-btf= -o "$B/vmlinux.types.h" \
		2>"$B/vmlinux.err"; then
		sed -i -E 's/\<(struct|WB_DEF_struct) (iovec|timespec|timeval)\>/\1 \2__k/g; s/\<WB_DEF_struct_(iovec|timespec|timeval)\>/WB_DEF_struct_\1__k/g' \
			"$B/vmlinux.types.h"
		printf '#include "vmlinux.types.h"\n' >"$B/vmlinux.c"
		if $WASM_CC --target=wasm32-wasi -fsyntax-only -Wno-gnu-variable-sized-type-not-at-end \
			-I"$B" "$B/vmlinux.c" 2>"$B/vmlinux.log"; then
			ok "types-vmlinux ($(grep -c _Static_assert "$B/vmlinux.types.h") asserts)"
		else
			head -20 "$B/vmlinux.log"
			ko types-vmlinux "kernel types do not compile for wasm32"
		fi
	else
		ko types-vmlinux "$(cat "$B/vmlinux.err")"
	fi
else
	skip types-vmlinux "no /sys/kernel/btf/vmlinux"
fi

# ---------------------------------------------------------------- run-time layout

# name, object, header name: generate header + check program, run both ways.
layout_check() {
	local name=$1 obj=$2 hdr=$3 extra=${4:-}
	local res
	# shellcheck disable=SC2086
	if ! gen types "$obj" $extra -o "$B/$hdr" 2>"$B/$name.err" ||
	   ! gen types "$obj" $extra --layout-check "$hdr" -o "$B/$name.check.c" 2>>"$B/$name.err"; then
		ko "$name" "gen failed: $(cat "$B/$name.err")"
		return
	fi
	if ! $WASM_CC --target=wasm32-wasi -O2 -Wno-gnu-variable-sized-type-not-at-end \
		-I"$B" "$B/$name.check.c" -o "$B/$name.check.wasm" 2>"$B/$name.log"; then
		cat "$B/$name.log"
		ko "$name-wasm32" "the check program does not compile for wasm32"
		return
	fi
	if res=$(run_wasm "$B/$name.check.wasm"); then
		ok "$name-wasm32 (${res##*layout: })"
	else
		echo "$res"
		ko "$name-wasm32" "layout mismatches (or no way to run wasm)"
	fi
	if ! $CC -O2 -Wno-gnu-variable-sized-type-not-at-end -I"$B" "$B/$name.check.c" \
		-o "$B/$name.check" 2>"$B/$name.log"; then
		cat "$B/$name.log"
		ko "$name-native" "the check program does not compile natively"
		return
	fi
	if res=$("$B/$name.check"); then
		ok "$name-native (${res##*layout: })"
	else
		echo "$res"
		ko "$name-native" "layout mismatches"
	fi
}

layout_check layout-nasty "$OBJ" nasty.lc.h

# Hand-made BTF (64-bit enums, a packed-by-bitfield struct, typedef chains).
if $CC -std=gnu11 -Wall -Wextra -o "$B/btf_craft" "$SRC/btf_craft.c" -lbpf 2>"$B/btf_craft.log" &&
   "$B/btf_craft" "$B/craft.btf"; then
	golden types-craft craft.types.h cat types "$B/craft.btf" --kernel-btf= --guard CRAFT_TYPES_H
	compile_header craft-wasm32 "$WASM_CC --target=wasm32-wasi" craft.types.h
	layout_check layout-craft "$B/craft.btf" craft.lc.h --kernel-btf=
else
	cat "$B/btf_craft.log"
	ko types-craft "cannot build or run btf_craft"
fi

if command -v python3 >/dev/null; then
	for seed in $(seq 1 "$ROUNDS"); do
		python3 "$SRC/randstructs.py" "$seed" 60 >"$B/rand$seed.bpf.c"
		if ! $BPF_CLANG -O2 -g -target bpf -Wno-gnu-variable-sized-type-not-at-end \
			-c "$B/rand$seed.bpf.c" -o "$B/rand$seed.bpf.o" 2>"$B/rand$seed.log"; then
			cat "$B/rand$seed.log"
			ko "layout-random$seed" "the random object does not compile"
			continue
		fi
		layout_check "layout-random$seed" "$B/rand$seed.bpf.o" "rand$seed.h" "--kernel-btf="
	done
else
	skip layout-random "no python3"
fi

# ---------------------------------------------------------------- real kernel

guest=$B/skel_nasty.wasm
if ! $WASM_CC --target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wno-unused-function \
	-I"$TOP/sdk/c" -I"$B" -Wl,--export-table "$SRC/guest/skel_nasty.c" -o "$guest" \
	2>"$B/skel_nasty.log"; then
	cat "$B/skel_nasty.log"
	ko skel-guest-build "the skeleton guest does not compile"
elif [ "$(id -u)" != 0 ]; then
	skip skel-kernel "not root"
else
	out=$("$CLI" run "$guest" 2>&1)
	rc=$?
	case $rc in
	0) ok "skel-kernel (every field written by eBPF read back by the guest)" ;;
	3) skip skel-kernel "the kernel refused the object: $out" ;;
	*) echo "$out"; ko skel-kernel "exit $rc" ;;
	esac
fi

# ---------------------------------------------------------------- errors

expect_error() {
	local name=$1 want=$2
	shift 2
	rm -f "$B/err.out"
	if gen "$@" -o "$B/err.out" 2>"$B/err.log"; then
		ko "$name" "succeeded"
	elif [ -e "$B/err.out" ]; then
		ko "$name" "left an output file"
	elif ! grep -q -- "$want" "$B/err.log"; then
		ko "$name" "message '$(cat "$B/err.log")' lacks '$want'"
	else
		ok "$name"
	fi
}

expect_error err-no-type "no type 'no_such_type'" types "$OBJ" --type no_such_type
expect_error err-no-file "cannot read BTF" types "$B/does-not-exist.o"
expect_error err-fwd "only declared" types "$OBJ" --type task_struct
expect_error err-bad-name "not a C identifier" skeleton "$OBJ" --name 1bad
expect_error err-usage "expected exactly one" types
expect_error err-mixed "skeleton options" types "$OBJ" --name x

echo "gen: $pass passed, $fail failed"
[ "$fail" = 0 ]
