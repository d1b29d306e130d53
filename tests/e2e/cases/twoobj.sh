# SPDX-License-Identifier: MIT
# twoobj: both objects of the module count: five processes exiting with code 5
# appear in the exit counts (object 2, array map) and their execs in the exec
# counts (object 1, .bss read live); -u selects the uid column (none of ours
# for uid 4242); "1 3" prints three rows and exits 0, leaving nothing behind.

e2e_need_example twoobj
cp /bin/sh ./e2e_two_sh || e2e_fail "cannot copy /bin/sh"

e2e_start twoobj -u 4242 1 3
e2e_wait_ready '^TIME +EXECS +UID +EXITS +EXIT CODES \(code:count\)$'
e2e_record_owned
for i in 1 2 3 4 5; do
	./e2e_two_sh -c 'exit 5'
done
e2e_wait_exit 15
e2e_expect_status 0
rows=$(e2e_count_lines '^[0-9:]{8} +[0-9]+ +[0-9]+ +[0-9]+ ')
[ "$rows" = 3 ] || e2e_fail "want 3 rows, got $rows"
execs=$(awk '/^[0-9][0-9]:[0-9][0-9]:/ { s += $2 } END { print s + 0 }' "$E2E_OUT")
uid=$(awk '/^[0-9][0-9]:[0-9][0-9]:/ { s += $3 } END { print s + 0 }' "$E2E_OUT")
exits=$(awk '/^[0-9][0-9]:[0-9][0-9]:/ { s += $4 } END { print s + 0 }' "$E2E_OUT")
code5=$(grep -o -E '(^| )5:[0-9]+' "$E2E_OUT" | awk -F: '{ s += $2 } END { print s + 0 }')
[ "$execs" -ge 5 ] || e2e_fail "exec count $execs < 5"
[ "$exits" -ge 5 ] || e2e_fail "exit count $exits < 5"
[ "$code5" -ge 5 ] && [ "$code5" -le 50 ] || e2e_fail "exits with code 5: $code5, want 5 (or a few more)"
[ "$uid" = 0 ] || e2e_fail "-u 4242 counted $uid execs"
e2e_check_gone

# Until SIGINT; the uid column counts our (root) execs.
e2e_start twoobj 1
e2e_wait_ready '^TIME'
./e2e_two_sh -c 'exit 0'
e2e_wait_line '^[0-9:]{8} +[1-9][0-9]* +[1-9][0-9]* ' 5 || e2e_fail "no row with root execs"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
