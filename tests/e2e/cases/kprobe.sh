# SPDX-License-Identifier: MIT
# kprobe: where the kernel has kprobes, deleting a file we create shows a line
# with our pid, result 0 and the name. Where it has none (or refuses them),
# the example must exit with status 1 and a message naming the reason: the
# case is then a SKIP with that reason.

e2e_need_example kprobe

e2e_start kprobe
if ! e2e_wait_line '^PID +COMM +RET +FILENAME$' 15; then
	e2e_wait_exit 10
	[ "$E2E_STATUS" = 1 ] || e2e_fail "refused, but exit status $E2E_STATUS (want 1)"
	reason=$(grep -m 1 -E '^kprobe: (this kernel|the kernel|wasm-bpf)' "$E2E_ERR")
	[ -n "$reason" ] || e2e_fail "refused without naming the reason: $(tail -n 1 "$E2E_ERR")"
	e2e_check_gone
	e2e_skip "${reason#kprobe: }"
fi
touch ./e2e_kp_file
rm ./e2e_kp_file &
pid=$!
wait $pid
e2e_wait_line "^$pid +rm +0 e2e_kp_file\$" 5 || e2e_fail "no line for rm (pid $pid) of e2e_kp_file"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
