;; Exit requests and traps that cross a host frame (guest -> host -> guest traps).
(module
  (import "env" "host_exit" (func $exit (param i32)))
  (import "env" "call_back" (func $call_back (param i32) (result i32)))
  (func (export "do_exit") (param i32)
    (call $exit (local.get 0))
    unreachable)
  (func (export "outer") (param i32) (result i32)
    (i32.add (call $call_back (local.get 0)) (i32.const 1)))
  (func (export "inner") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.div_u (i32.const 100) (local.get 0)))
)
