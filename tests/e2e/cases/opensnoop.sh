# SPDX-License-Identifier: MIT
# opensnoop: opens of an existing and of a missing file by a process we start
# appear with its pid, the fd or the error (ENOENT = 2) and the path; -p and
# -x filter in the kernel; -d ends it with a summary. SIGINT ends it and
# nothing of it stays in the kernel.

e2e_need_example opensnoop
e2e_need_tracepoint syscalls/sys_enter_openat

cp /bin/cat ./e2e_os_cat || e2e_fail "cannot copy /bin/cat"
cp /bin/sh ./e2e_os_sh || e2e_fail "cannot copy /bin/sh"
echo hello > ./present

e2e_start opensnoop -n e2e_os
e2e_wait_ready '^PID +COMM +FD +ERR +PATH$'
./e2e_os_cat "$E2E_TMP/present" "$E2E_TMP/missing" > /dev/null 2>&1 &
pid=$!
wait $pid
e2e_wait_line "^$pid +e2e_os_cat +[0-9]+ +0 $E2E_TMP/present\$" 5 ||
	e2e_fail "no successful open of $E2E_TMP/present by pid $pid"
fd=$(e2e_field 3)
[ "$fd" -ge 3 ] && [ "$fd" -lt 1024 ] || e2e_fail "implausible fd $fd"
e2e_wait_line "^$pid +e2e_os_cat +-1 +2 $E2E_TMP/missing\$" 5 ||
	e2e_fail "no failed (ENOENT) open of $E2E_TMP/missing by pid $pid"
grep -v -E '^(PID|[0-9]+ +e2e_os|[0-9]+ opens shown)' "$E2E_OUT" | grep -q . &&
	e2e_fail "-n e2e_os let other processes through: $(grep -v -E '^(PID|[0-9]+ +e2e_os)' "$E2E_OUT" | head -1)"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
# The summary line is the only other line allowed.
e2e_expect_line '^[1-9][0-9]* opens shown, [1-9][0-9]* failed$' "summary after SIGINT"

# -p PID -x -d 3: only the failed opens of that process, then a summary.
./e2e_os_sh -c "sleep 1; : < $E2E_TMP/present; : < $E2E_TMP/missing2" 2>/dev/null &
pid=$!
e2e_start opensnoop -p "$pid" -x -d 3
e2e_wait_ready '^PID'
wait $pid
e2e_wait_line "^$pid +e2e_os_sh +-1 +2 $E2E_TMP/missing2\$" 5 ||
	e2e_fail "-p $pid -x: no failed open of missing2"
grep -q 'present$' "$E2E_OUT" && e2e_fail "-x showed a successful open"
grep -E '^[0-9]+ ' "$E2E_OUT" | grep -v -q -E "^$pid " && e2e_fail "-p $pid showed another process"
e2e_record_owned
e2e_wait_exit 10
e2e_expect_status 0
e2e_expect_line '^[1-9][0-9]* opens shown, [1-9][0-9]* failed$' "summary after -d"
e2e_check_gone
