# SPDX-License-Identifier: MIT
# uprobe: calls of uprobe_add/uprobe_sub in the native demo target appear with
# the caller's pid, the exact arguments and return values; -p PID (probes
# attached with "@PID") ignores another process. SIGINT ends it and nothing
# of it stays in the kernel.

e2e_need_example uprobe
target=$E2E_EXAMPLES/uprobe/build/target
[ -x "$target" ] || e2e_skip "native target not built ($target)"
grep -q uprobe /sys/bus/event_source/devices/*/type 2>/dev/null ||
	[ -d /sys/bus/event_source/devices/uprobe ] || e2e_skip "no uprobe PMU in this kernel"

e2e_start uprobe "$target"
e2e_wait_ready '^PID +COMM +LAT\(us\) +CALL$'
"$target" 3 20 > /dev/null &
pid=$!
wait $pid
for i in 1 2 3; do
	e2e_wait_line "^$pid +target +[0-9]+\.[0-9] +uprobe_add\($i, $((2 * i))\) = $((3 * i))\$" 5 ||
		e2e_fail "no uprobe_add($i, $((2 * i))) = $((3 * i)) line for pid $pid"
	e2e_wait_line "^$pid +target +[0-9]+\.[0-9] +uprobe_sub\($((10 * i)), $i\) = $((9 * i))\$" 5 ||
		e2e_fail "no uprobe_sub($((10 * i)), $i) = $((9 * i)) line for pid $pid"
done
n=$(e2e_count_lines "^$pid ")
[ "$n" = 6 ] || e2e_fail "want 6 calls of pid $pid, got $n"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
e2e_expect_line '^6 calls$' "summary after SIGINT"

# -p: only the chosen process.
"$target" 8 250 > /dev/null &
chosen=$!
e2e_defer "kill $chosen"
e2e_start uprobe -p "$chosen" "$target:uprobe_add"
e2e_wait_ready '^PID'
"$target" 2 10 > /dev/null &
other=$!
wait $other
e2e_wait_line "^$chosen +target +[0-9.]+ +uprobe_add\([0-9]+, [0-9]+\) = [0-9]+\$" 5 ||
	e2e_fail "-p $chosen: no call of the chosen process"
sleep 0.3
grep -q -E "^$other " "$E2E_OUT" && e2e_fail "-p $chosen: calls of pid $other shown"
grep -q 'uprobe_sub' "$E2E_OUT" && e2e_fail "uprobe_sub shown though not asked for"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone

# A function that does not exist: a clear error naming it, status 1.
e2e_start uprobe "$target:no_such_function"
e2e_wait_exit 10
e2e_expect_status 1
grep -q "no_such_function" "$E2E_ERR" || e2e_fail "the error does not name the function"
