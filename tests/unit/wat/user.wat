;; Imports the exports of pure.wat (instance-to-instance linking).
(module
  (import "pure" "inc" (func $inc (result i32)))
  (import "pure" "mem" (memory 1))
  (import "pure" "g" (global $g (mut i32)))
  (func (export "inc_twice") (result i32)
    (drop (call $inc)) (call $inc))
  (func (export "read_g") (result i32) (global.get $g))
)
