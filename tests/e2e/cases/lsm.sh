# SPDX-License-Identifier: MIT
# lsm: where BPF LSM works, rmdir of a directory with the protected name fails
# with EPERM while the example runs (a line names the process), and succeeds
# after SIGINT. Where the kernel (lockdown, no BPF LSM) or the runtime's policy
# refuses it, the example must exit with status 1 and a message naming the
# reason: the case is then a SKIP with that reason.

e2e_need_example lsm

name=e2e_lsm_keep_$$
# LSM programs need the policy's consent; older runtimes have no such option.
if "$WB_BIN" run --help 2>&1 | grep -q -- '--allow-prog-type'; then
	e2e_start --opt --allow-prog-type --opt lsm lsm "$name"
else
	e2e_start lsm "$name"
fi
if ! e2e_wait_line '^TIME +PID +UID +COMM +DENIED RMDIR$' 15; then
	e2e_wait_exit 10
	[ "$E2E_STATUS" = 1 ] || e2e_fail "refused, but exit status $E2E_STATUS (want 1)"
	reason=$(grep -m 1 -E '^lsm: (this kernel|the kernel|wasm-bpf)' "$E2E_ERR")
	[ -n "$reason" ] || e2e_fail "refused without naming the reason: $(tail -n 1 "$E2E_ERR")"
	e2e_check_gone
	e2e_skip "${reason#lsm: }"
fi
mkdir -p "./$name" ./other
e2e_defer "rmdir $E2E_TMP/$name"
rmdir ./other || e2e_fail "rmdir of an unprotected directory failed"
out=$(rmdir "./$name" 2>&1) && e2e_fail "rmdir of ./$name succeeded while protected"
echo "$out" | grep -q 'Operation not permitted' || e2e_fail "rmdir failed, but not with EPERM: $out"
e2e_wait_line " rmdir +$name\$" 5 || e2e_fail "no line reporting the denied rmdir"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
rmdir "./$name" || e2e_fail "rmdir still refused after the example ended"
