;; JIT vs interpreter (test_jit.c): run with a decline hook so that the JIT
;; leaves the odd function indices to the interpreter. $a (even) and $b (odd)
;; call each other, directly and through the table.
(module
  (type $ii2i (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $a $b)
  (memory 1)

  ;; a(0, z) = 0; a(n, z) = 3 * b(n - 1, z) + n
  (func $a (param $n i32) (param $z i32) (result i32)		;; 0: compiled
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.mul (call $b (i32.sub (local.get $n) (i32.const 1)) (local.get $z))
                              (i32.const 3))
                     (local.get $n)))))
  ;; b(0, z) = 1; b(n, z) = a(n - 1, z) + 1000 / (n - z), trapping when n == z
  (func $b (param $n i32) (param $z i32) (result i32)		;; 1: declined
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (i32.add (call $a (i32.sub (local.get $n) (i32.const 1)) (local.get $z))
                     (i32.div_u (i32.const 1000) (i32.sub (local.get $n) (local.get $z)))))))
  ;; As $a and $b, through call_indirect: table[n & 1](n - 1, z), OOB load at n == z
  (func $ia (param $n i32) (param $z i32) (result i32)		;; 2: compiled
    (if (i32.eq (local.get $n) (local.get $z))
      (then (drop (i32.load (i32.const 65535)))))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 7))
      (else (i32.add (call_indirect (type $ii2i)
                       (i32.sub (local.get $n) (i32.const 1)) (local.get $z)
                       (i32.and (local.get $n) (i32.const 1)))
                     (call $ib (local.get $n))))))
  (func $ib (param $n i32) (result i32)				;; 3: declined
    (i32.store (i32.mul (local.get $n) (i32.const 4)) (local.get $n))
    (i32.load (i32.mul (local.get $n) (i32.const 4))))
  (func $forever (param $n i32) (result i32)			;; 4: compiled
    (i32.add (call $forever2 (local.get $n)) (i32.const 1)))
  (func $forever2 (param $n i32) (result i32)			;; 5: declined
    (i32.add (call $forever (local.get $n)) (i32.const 1)))
  (func $run_a (export "a") (param i32 i32) (result i32)	;; 6
    (call $a (local.get 0) (local.get 1)))
  (func $run_b (export "b") (param i32 i32) (result i32)	;; 7
    (call $b (local.get 0) (local.get 1)))
  (func $run_ia (export "ia") (param i32 i32) (result i32)	;; 8
    (call $ia (local.get 0) (local.get 1)))
  (func $run_forever (export "forever") (param i32) (result i32) ;; 9
    (call $forever (local.get 0)))
  ;; memory.grow on one side of the boundary, the new page used on the other:
  ;; the new page's last word, written by the grower, read by the caller.
  (func $use_grow (export "use_grow") (result i32)		;; 10: compiled
    (i32.load (i32.sub (i32.mul (call $grow_odd) (i32.const 65536)) (i32.const 4))))
  (func $grow_odd (result i32)					;; 11: declined
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))
               (i32.const 11))
    (memory.size))
  (func $grow_even (result i32)					;; 12: compiled
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))
               (i32.const 12))
    (memory.size))
  (func $use_grow2 (export "use_grow2") (result i32)		;; 13: declined
    (i32.load (i32.sub (i32.mul (call $grow_even) (i32.const 65536)) (i32.const 4))))
)
