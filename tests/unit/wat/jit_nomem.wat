;; JIT vs interpreter (test_jit.c): a module without memory.
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (type $i2i (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $twice)
  (global $acc (mut i64) (i64.const 0))
  (func $twice (type $i2i) (i32.shl (local.get 0) (i32.const 1)))
  ;; sum over i < n of add(i, twice(i)) through the table, kept in $acc too
  (func $run (export "run") (param $n i32) (result i64)
    (local $i i32)
    (global.set $acc (i64.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (global.set $acc
          (i64.add (global.get $acc)
                   (i64.extend_i32_u
                     (call $add (local.get $i)
                                (call_indirect (type $i2i) (local.get $i) (i32.const 0))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (global.get $acc))
  (func $div (export "div") (param i64 i64) (result i64)
    (i64.div_s (local.get 0) (local.get 1)))
)
