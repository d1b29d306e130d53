;; JIT vs interpreter (test_jit.c): host imports called from guest loops,
;; re-entry (guest -> host -> guest), host traps, growth by the host.
(module
  (import "env" "poke" (func $poke (param i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "grow" (func $hgrow (param i32) (result i32)))
  (memory 1 4)
  (global $fail_at (export "fail_at") (mut i32) (i32.const -1))

  ;; poke(0), poke(1), ... poke(n - 1); returns n
  (func $poke_loop (export "poke_loop") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $poke (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; rec(n) = step(n) through the host (reenter calls the "step" export back);
  ;; step(0) = 1, step(n) = 2 * step(n - 1) + n, again through the host; and
  ;; step(n) calls fail(n) when n == fail_at.
  (func $rec (export "rec") (param $n i32) (result i32)
    (call $reenter (local.get $n)))
  (func $step (export "step") (param $n i32) (result i32)
    (if (i32.eq (local.get $n) (global.get $fail_at)) (then (call $fail (local.get $n))))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (i32.add (i32.mul (call $reenter (i32.sub (local.get $n) (i32.const 1)))
                              (i32.const 2))
                     (local.get $n)))))
  (func $mid (param i32)
    (call $fail (i32.add (local.get 0) (i32.const 1))))
  (func $call_fail (export "call_fail") (param i32) (result i32)
    (call $mid (local.get 0))
    (i32.const 5))
  ;; The host grows this memory by n pages; then the new page is used here.
  (func $hgrow_use (export "hgrow_use") (param $n i32) (result i32)
    (local $old i32)
    (local.set $old (call $hgrow (local.get $n)))
    (if (i32.eq (local.get $old) (i32.const -1)) (then (return (i32.const -1))))
    (i32.store offset=12 (i32.mul (local.get $old) (i32.const 65536)) (i32.const 777))
    (i32.add (i32.load offset=12 (i32.mul (local.get $old) (i32.const 65536))) (memory.size)))
)
