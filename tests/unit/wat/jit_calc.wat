;; JIT vs interpreter (test_jit.c): arithmetic of every value type, multi-value
;; results, loops, recursion, traps with their frames, fuel, memory growth.
(module
  (type $i2i (func (param i32) (result i32)))
  (type $v2v (func))
  (memory 1 8)
  (table 4 funcref)
  (elem (i32.const 0) $sq $nop)
  (global $g (mut i64) (i64.const 5))
  (global $depth (export "depth") (mut i32) (i32.const 0))

  (func $sq (type $i2i) (i32.mul (local.get 0) (local.get 0)))
  (func $nop (type $v2v))

  ;; ((a + b) * (a - b)) ^ rotl(b, 5), then div_s 7, + rem_u 1000, + shr_s 3, + clz + popcnt
  (func $mix32 (export "mix32") (param $a i32) (param $b i32) (result i32)
    (local $x i32)
    (local.set $x (i32.xor (i32.mul (i32.add (local.get $a) (local.get $b))
                                    (i32.sub (local.get $a) (local.get $b)))
                           (i32.rotl (local.get $b) (i32.const 5))))
    (i32.add (i32.add (i32.div_s (local.get $x) (i32.const 7))
                      (i32.rem_u (local.get $x) (i32.const 1000)))
             (i32.add (i32.shr_s (local.get $x) (i32.const 3))
                      (i32.add (i32.clz (local.get $x)) (i32.popcnt (local.get $b))))))

  ;; (a * b + g) ^ (a >> 7 unsigned), then - div_u(a, b | 1) + ctz(b); g += 1
  (func $mix64 (export "mix64") (param $a i64) (param $b i64) (result i64)
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (i64.add (i64.sub (i64.xor (i64.add (i64.mul (local.get $a) (local.get $b)) (global.get $g))
                               (i64.shr_u (local.get $a) (i64.const 7)))
                      (i64.div_u (local.get $a) (i64.or (local.get $b) (i64.const 1))))
             (i64.ctz (local.get $b))))

  ;; a * b + a / b - sqrt(|a|), min with 1e6
  (func $fmix32 (export "fmix32") (param $a f32) (param $b f32) (result f32)
    (f32.min (f32.sub (f32.add (f32.mul (local.get $a) (local.get $b))
                               (f32.div (local.get $a) (local.get $b)))
                      (f32.sqrt (f32.abs (local.get $a))))
             (f32.const 1e6)))

  ;; (a - b) * a / b + floor(a) + convert(trunc(b)), max with -1e300
  (func $fmix64 (export "fmix64") (param $a f64) (param $b f64) (result f64)
    (f64.max (f64.add (f64.add (f64.div (f64.mul (f64.sub (local.get $a) (local.get $b))
                                                 (local.get $a))
                                        (local.get $b))
                               (f64.floor (local.get $a)))
                      (f64.convert_i32_s (i32.trunc_f64_s (local.get $b))))
             (f64.const -1e300)))

  ;; Multi-value: conversions of one f64 and a reordering of mixed types.
  (func $conv (export "conv") (param $x f64) (result i64 i32 f32)
    (i64.trunc_f64_s (local.get $x))
    (i32.trunc_sat_f64_u (local.get $x))
    (f32.demote_f64 (local.get $x)))
  (func $rot3 (export "rot3") (param i32 i64 f64) (result f64 i32 i64)
    (local.get 2) (local.get 0) (local.get 1))
  (func $pair (param i32) (result i32 i32)
    (i32.add (local.get 0) (i32.const 1)) (i32.sub (local.get 0) (i32.const 1)))
  ;; (x + 1) * (x - 1) through a callee with two results
  (func $use_pair (export "use_pair") (param i32) (result i32)
    (call $pair (local.get 0)) (i32.mul))

  ;; sum of 0..n-1 (i64), a loop with a back-edge per iteration
  (func $sum (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc))
  ;; sum of squares of 0..n-1 through $sq: a call and a back-edge per iteration
  (func $sqsum (export "sqsum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (call $sq (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.ne (local.get $i) (local.get $n)))))
    (local.get $acc))
  ;; n iterations whose back-edge is a br_table
  (func $tabloop (export "tabloop") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_table $l $done (i32.ge_u (local.get $i) (local.get $n)))))
    (local.get $i))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; br_table: 0 -> 10, 1 -> 20, 2 -> 30, else 40
  (func $classify (export "classify") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))


  ;; Bit-exact corners: sign bits and NaN payloads, rounding, shift counts,
  ;; unsigned conversions, compares.
  (func $fneg (export "fneg") (param f32 f64) (result f32 f64 f64)
    (f32.neg (local.get 0)) (f64.abs (local.get 1))
    (f64.copysign (local.get 1) (f64.promote_f32 (local.get 0))))
  (func $fminmax (export "fminmax") (param f64 f64) (result f64 f64 f32)
    (f64.min (local.get 0) (local.get 1)) (f64.max (local.get 0) (local.get 1))
    (f32.min (f32.demote_f64 (local.get 1)) (f32.demote_f64 (local.get 0))))
  (func $fround (export "fround") (param f64) (result f64 f64 f64 f64)
    (f64.floor (local.get 0)) (f64.ceil (local.get 0))
    (f64.trunc (local.get 0)) (f64.nearest (local.get 0)))
  (func $shifts (export "shifts") (param i64 i64) (result i64 i64 i64 i64 i32)
    (i64.shl (local.get 0) (local.get 1)) (i64.shr_s (local.get 0) (local.get 1))
    (i64.shr_u (local.get 0) (local.get 1)) (i64.rotr (local.get 0) (local.get 1))
    (i32.shl (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))
  (func $uconv (export "uconv") (param i64) (result f64 f32 i64 i32)
    (f64.convert_i64_u (local.get 0)) (f32.convert_i64_u (local.get 0))
    (i64.trunc_sat_f64_u (f64.convert_i64_u (local.get 0)))
    (i32.extend8_s (i32.wrap_i64 (local.get 0))))
  ;; lt_s | lt_u << 1 | eq << 2 | ge_u << 3 | f64.lt << 4, then select on eqz
  (func $cmp (export "cmp") (param i64 i64) (result i32)
    (local $r i32)
    (local.set $r (i32.or (i32.or (i64.lt_s (local.get 0) (local.get 1))
                                  (i32.shl (i64.lt_u (local.get 0) (local.get 1)) (i32.const 1)))
                          (i32.or (i32.shl (i64.eq (local.get 0) (local.get 1)) (i32.const 2))
                                  (i32.shl (i64.ge_u (local.get 0) (local.get 1)) (i32.const 3)))))
    (local.set $r (i32.or (local.get $r)
      (i32.shl (f64.lt (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))
               (i32.const 4))))
    (select (local.get $r) (i32.const -1) (i32.eqz (i64.eqz (local.get 0)))))
  (func $trunc (export "trunc") (param f64) (result i32)
    (i32.trunc_f64_s (local.get 0)))

  ;; Locals start at zero whatever the frame held before (more than 8 locals
  ;; are cleared by a loop, fewer one by one), and pooled constants are set.
  (func $dirty (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c i32) (local $d i32) (local $e i32)
    (local $f i32) (local $g f64) (local $h i32) (local $i i32) (local $j i32)
    (local.set $a (local.get $x)) (local.set $b (i64.extend_i32_u (local.get $x)))
    (local.set $c (local.get $x)) (local.set $d (local.get $x)) (local.set $e (local.get $x))
    (local.set $f (local.get $x)) (local.set $g (f64.convert_i32_u (local.get $x)))
    (local.set $h (local.get $x)) (local.set $i (local.get $x)) (local.set $j (local.get $x))
    (i32.add (i32.add (local.get $a) (i32.wrap_i64 (local.get $b)))
             (i32.add (i32.add (local.get $c) (local.get $d))
                      (i32.add (i32.add (local.get $e) (local.get $f))
                               (i32.add (i32.trunc_f64_u (local.get $g))
                                        (i32.add (local.get $h)
                                                 (i32.add (local.get $i) (local.get $j))))))))
  ;; x + 2 (from f64 constants) + every local
  (func $clean10 (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c i32) (local $d i32) (local $e i32)
    (local $f i32) (local $g f64) (local $h i32) (local $i i32) (local $j i32)
    (i32.add (i32.add (local.get $x) (i32.trunc_f64_s (f64.mul (f64.const 0.5) (f64.const 4))))
             (i32.add (i32.add (i32.add (local.get $a) (i32.wrap_i64 (local.get $b)))
                               (i32.add (local.get $c) (local.get $d)))
                      (i32.add (i32.add (local.get $e) (local.get $f))
                               (i32.add (i32.trunc_f64_s (local.get $g))
                                        (i32.add (local.get $h)
                                                 (i32.add (local.get $i) (local.get $j))))))))
  ;; x + every local
  (func $clean3 (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c f64)
    (i32.add (i32.add (local.get $x) (local.get $a))
             (i32.add (i32.wrap_i64 (local.get $b)) (i32.trunc_f64_s (local.get $c)))))
  ;; clean10(x) + 1000 * clean3(x), each after a dirty(x) in the same frame
  (func $locals (export "locals") (param $x i32) (result i32)
    (drop (call $dirty (local.get $x)))
    (i32.add (call $clean10 (local.get $x))
             (i32.mul (i32.const 1000)
                      (block (result i32)
                        (drop (call $dirty (local.get $x)))
                        (call $clean3 (local.get $x))))))

  ;; Traps.
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (call $d1 (local.get 0)) (i32.const 1)))
  (func $d1 (param i32) (result i32)
    (i32.mul (call $d2 (local.get 0)) (i32.const 3)))
  (func $d2 (param i32) (result i32)
    (i32.sub (call $d3 (local.get 0)) (i32.const 1)))
  (func $d3 (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (local.get 0))
  (func $load (export "load") (param i32) (result i32)
    (i32.load (local.get 0)))
  (func $store64 (export "store64") (param i32 i64)
    (i64.store offset=8 (local.get 0) (local.get 1)))
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $rem64 (export "rem64") (param i64 i64) (result i64)
    (i64.rem_s (local.get 0) (local.get 1)))
  ;; table[t](x) as (i32) -> i32
  (func $indirect (export "indirect") (param $x i32) (param $t i32) (result i32)
    (call_indirect (type $i2i) (local.get $x) (local.get $t)))
  (func $forever (export "forever") (param i32) (result i32)
    (global.set $depth (local.get 0))
    (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $spin (export "spin")
    (loop $l (br $l)))

  ;; memory.grow then use of the new page in the same function: the new
  ;; page's first word, written and read back, or -1 if the grow failed.
  (func $grow_use (export "grow_use") (param $n i32) (result i32)
    (local $old i32) (local $at i32)
    (local.set $old (memory.grow (local.get $n)))
    (if (i32.eq (local.get $old) (i32.const -1)) (then (return (i32.const -1))))
    (local.set $at (i32.mul (memory.size) (i32.const 65536)))
    (i32.store (i32.sub (local.get $at) (i32.const 4)) (i32.const 0x5a5a))
    (i32.store (i32.mul (local.get $old) (i32.const 65536)) (i32.const 0x1234))
    (i32.load (i32.mul (local.get $old) (i32.const 65536))))
  ;; Grows by one page in a callee, then reads the new page's last word here.
  (func $after_grow (export "after_grow") (result i32)
    (drop (call $grow_use (i32.const 1)))
    (i32.add (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))
             (memory.size)))
  (func $size (export "size") (result i32) (memory.size))
)
