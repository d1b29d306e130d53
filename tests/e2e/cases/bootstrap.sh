# SPDX-License-Identifier: MIT
# bootstrap: an exec and an exit of a process we start appear with its pid,
# parent, file name, exit code and lifetime; then -d filters short-lived ones
# in the kernel. SIGINT ends it and nothing of it stays in the kernel.

e2e_need_example bootstrap
e2e_need_tracepoint sched/sched_process_exec

# Copies with distinctive names, so that their lines are easy to find.
cp /bin/sleep ./e2e_bs_sleep || e2e_fail "cannot copy /bin/sleep"
cp /bin/sh ./e2e_bs_sh || e2e_fail "cannot copy /bin/sh"

e2e_start bootstrap -v
e2e_wait_ready '^TIME +EVENT +COMM +PID +PPID +FILENAME/EXIT CODE$'

"$E2E_TMP/e2e_bs_sleep" 0.3 &
pid=$!
wait $pid
"$E2E_TMP/e2e_bs_sh" -c 'exit 7' &
pid2=$!
wait $pid2

e2e_wait_line "^[0-9:]{8} EXEC +e2e_bs_sleep +$pid +$$ +$E2E_TMP/e2e_bs_sleep\$" 5 ||
	e2e_fail "no EXEC line for e2e_bs_sleep (pid $pid, ppid $$)"
e2e_wait_line "^[0-9:]{8} EXIT +e2e_bs_sleep +$pid +$$ +\[0\] \([0-9]+ms\)\$" 5 ||
	e2e_fail "no EXIT line for e2e_bs_sleep (pid $pid)"
ms=$(echo "$E2E_LINE" | sed -E 's/.*\(([0-9]+)ms\)$/\1/')
[ "$ms" -ge 250 ] && [ "$ms" -le 3000 ] ||
	e2e_fail "lifetime of 'sleep 0.3' reported as ${ms}ms"
e2e_wait_line "^[0-9:]{8} EXIT +e2e_bs_sh +$pid2 +$$ +\[7\]" 5 ||
	e2e_fail "no EXIT line with code 7 for e2e_bs_sh (pid $pid2)"

e2e_stop
e2e_expect_status 0 130
e2e_check_gone
grep -q -E '^bootstrap: [1-9][0-9]* execs, [1-9][0-9]* exits$' "$E2E_ERR" ||
	e2e_fail "no summary (-v) after SIGINT"

# -d 200: no EXEC lines, a 50 ms process is not reported, a 400 ms one is.
e2e_start bootstrap -d 200
e2e_wait_ready '^TIME +EVENT'
"$E2E_TMP/e2e_bs_sleep" 0.05 &
short=$!
wait $short
"$E2E_TMP/e2e_bs_sleep" 0.4 &
long=$!
wait $long
e2e_wait_line "EXIT +e2e_bs_sleep +$long +$$ +\[0\] \([0-9]+ms\)" 5 ||
	e2e_fail "-d 200: no EXIT line for a 400 ms process"
sleep 0.3
grep -q -E "EXIT +e2e_bs_sleep +$short " "$E2E_OUT" &&
	e2e_fail "-d 200: a 50 ms process was reported"
grep -q -E '^[0-9:]{8} EXEC ' "$E2E_OUT" && e2e_fail "-d 200: EXEC lines printed"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone

# -h prints the usage and exits 0 without loading anything.
e2e_start bootstrap -h
e2e_wait_exit 10
e2e_expect_status 0
e2e_expect_line '^Usage: .* \[-d MS\]'
