# SPDX-License-Identifier: MIT
# runqlat: "1 2" prints two well-formed log2 histograms and exits 0; -P shows
# a histogram for processes we keep busy (three spinning shells on fewer
# cores must wait in the run queue); SIGINT ends an open-ended run and
# nothing of it stays in the kernel.

e2e_need_example runqlat

# The rows of a histogram: "  LOW -> HIGH  : COUNT  |stars|".
row='^ +[0-9]+ -> [0-9]+ +: [0-9]+ +\|[* ]{40}\|$'

e2e_start runqlat 1 2
e2e_wait_ready '^Tracing run queue latency\.\.\. Hit Ctrl-C to end\.$'
e2e_record_owned
e2e_wait_exit 15
e2e_expect_status 0
n=$(e2e_count_lines '^ +usecs +: count +distribution$')
[ "$n" = 2 ] || e2e_fail "want 2 histograms, got $n"
rows=$(e2e_count_lines "$row")
[ "$rows" -ge 2 ] || e2e_fail "only $rows histogram rows"
total=$(grep -E "$row" "$E2E_OUT" | awk '{ s += $5 } END { print s + 0 }')
[ "$total" -ge 10 ] || e2e_fail "only $total scheduling events in 2 s"
grep -E '^ +[0-9]+ -> [0-9]+ +:' "$E2E_OUT" | grep -v -q -E "$row" &&
	e2e_fail "malformed row: $(grep -E '^ +[0-9]+ -> ' "$E2E_OUT" | grep -v -E "$row" | head -1)"
# The first row of a histogram is "0 -> 1", the next ones double.
grep -q -E '^ +0 -> 1 +:' "$E2E_OUT" || e2e_fail "no '0 -> 1' row"
e2e_check_gone

# -P: our spinning processes get histograms of their own.
cp /bin/sh ./e2e_rq_sh || e2e_fail "cannot copy /bin/sh"
spin=()
for i in 1 2 3; do
	./e2e_rq_sh -c 'while :; do :; done' &
	spin+=($!)
	e2e_defer "kill ${spin[-1]}"
done
e2e_start runqlat -P 2 1
e2e_wait_ready '^Tracing'
e2e_record_owned
e2e_wait_exit 15
e2e_expect_status 0
kill "${spin[@]}" 2>/dev/null
found=
for p in "${spin[@]}"; do
	grep -q -E "^pid = $p e2e_rq_sh\$" "$E2E_OUT" && found=$p
done
[ -n "$found" ] || e2e_fail "-P: no histogram for the spinning pids ${spin[*]}"
e2e_check_gone

# Without an interval: SIGINT prints the histogram of the whole run and stops.
e2e_start runqlat -m
e2e_wait_ready '^Tracing'
sleep 1
grep -q 'msecs' "$E2E_OUT" && e2e_fail "histogram printed before SIGINT"
e2e_stop
e2e_expect_status 0 130
e2e_check_gone
e2e_expect_line '^ +msecs +: count +distribution$' "histogram (-m) after SIGINT"
