;; A module without imports: a start function, exports of every kind.
(module
  (memory (export "mem") 2)
  (global $g (export "g") (mut i32) (i32.const 0))
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $inc)
  (func $inc (export "inc") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.get $g))
  (func $start (drop (call $inc)))
  (start $start)
)
