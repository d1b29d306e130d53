# SPDX-License-Identifier: MIT
# hashmap: a process making a known number of system calls (dd bs=1: one
# read and one write per byte) is counted under its pid and comm; the map is
# cleared each interval (it is gone from the next one); "-p PID" counts only
# that process; "1 N" exits 0 after N intervals, leaving nothing behind.

e2e_need_example hashmap
cp /bin/dd ./e2e_hm_dd || e2e_fail "cannot copy /bin/dd"

e2e_start hashmap -T 50 1 4
e2e_wait_ready '^Counting system calls per process\.\.\. Hit Ctrl-C to end\.$'
e2e_record_owned
./e2e_hm_dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null &
pid=$!
wait $pid
e2e_wait_exit 15
e2e_expect_status 0
n=$(e2e_count_lines '^\[[0-9:]{8}\]$')
[ "$n" = 4 ] || e2e_fail "want 4 intervals, got $n"
sum=$(awk -v p="$pid" '$1 == p && $2 == "e2e_hm_dd" { s += $3 } END { print s + 0 }' "$E2E_OUT")
[ "$sum" -ge 40000 ] && [ "$sum" -le 40200 ] ||
	e2e_fail "pid $pid counted $sum system calls, want 40000 (+ start-up)"
# Cleared each interval: the last interval (the process had exited) lacks it.
last=$(awk '/^\[/ { block = "" } { block = block "\n" $0 } END { print block }' "$E2E_OUT")
echo "$last" | grep -q -E "^$pid " && e2e_fail "pid $pid still in the last interval: map not cleared"
e2e_expect_line '^[0-9]+ processes, [0-9]+ system calls$' "interval totals"
e2e_check_gone

# -p PID -s 0 (read, x86_64): only that process, only read() calls.
if [ "$(uname -m)" = x86_64 ]; then
	./e2e_hm_dd if=/dev/zero of=/dev/null bs=1 count=3000 2>/dev/null &
	e2e_defer "kill $! 2>/dev/null"
	sleep 5 &
	sleeper=$!
	e2e_defer "kill $sleeper 2>/dev/null"
	e2e_start hashmap -p "$sleeper" 5
	e2e_wait_ready '^Counting'
	sleep 1
	e2e_stop
	e2e_expect_status 0 130
	e2e_check_gone
	# SIGINT cut the 5 s interval short: it is printed, then the example stops.
	e2e_expect_line '^[0-9]+ processes, [0-9]+ system calls$' "interval printed at SIGINT"
	grep -q -E '^[0-9]+ +e2e_hm_dd ' "$E2E_OUT" && e2e_fail "-p $sleeper showed another process"

	e2e_start hashmap -s 0 1 2
	e2e_wait_ready '^Counting'
	e2e_record_owned
	./e2e_hm_dd if=/dev/zero of=/dev/null bs=1 count=5000 2>/dev/null &
	pid=$!
	wait $pid
	e2e_wait_exit 10
	e2e_expect_status 0
	sum=$(awk -v p="$pid" '$1 == p { s += $3 } END { print s + 0 }' "$E2E_OUT")
	[ "$sum" -ge 5000 ] && [ "$sum" -le 5100 ] ||
		e2e_fail "-s 0: pid $pid counted $sum read() calls, want 5000 (+ start-up)"
	e2e_check_gone
fi
