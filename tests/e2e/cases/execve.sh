# SPDX-License-Identifier: MIT
# execve: an execve() we make appears with the caller's pid and parent and
# the new program's arguments (the first 8, then "..."); -u filters by uid
# in the kernel. SIGINT ends it and nothing of it stays in the kernel.

e2e_need_example execve
e2e_need_tracepoint syscalls/sys_enter_execve

cp /bin/true ./e2e_ex_true || e2e_fail "cannot copy /bin/true"

e2e_start execve
e2e_wait_ready '^PCOMM +PID +PPID +UID +ARGS$'

./e2e_ex_true alpha beta gamma &
pid=$!
wait $pid
./e2e_ex_true 1 2 3 4 5 6 7 8 9 10 &
pid2=$!
wait $pid2

e2e_wait_line "^[^ ]+ +$pid +$$ +0 +\./e2e_ex_true alpha beta gamma\$" 5 ||
	e2e_fail "no line for e2e_ex_true (pid $pid, ppid $$) with its arguments"
e2e_wait_line "^[^ ]+ +$pid2 +$$ +0 +\./e2e_ex_true 1 2 3 4 5 6 7 \.\.\.\$" 5 ||
	e2e_fail "no truncated argument list for pid $pid2"

e2e_stop
e2e_expect_status 0 130
e2e_check_gone
# Ctrl-C ends the poll with EINTR: the guest prints its summary.
e2e_expect_line '^[1-9][0-9]* execve calls, [1-9][0-9]* shown$' "summary after SIGINT"

# -u 4242: our own (uid 0) execs are not reported.
e2e_start execve -u 4242
e2e_wait_ready '^PCOMM'
./e2e_ex_true hidden &
wait $!
sleep 0.5
grep -q 'e2e_ex_true hidden' "$E2E_OUT" && e2e_fail "-u 4242 reported an exec of uid 0"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
