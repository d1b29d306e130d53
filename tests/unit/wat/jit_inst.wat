;; JIT vs interpreter (test_jit.c): two instances in one store, each with its
;; own memory and global; the second imports the first one's "get".
(module
  (import "peer" "get" (func $peer_get (result i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  ;; mem[16] = m, g = v
  (func $set (export "set") (param $m i32) (param $v i32)
    (i32.store (i32.const 16) (local.get $m))
    (global.set $g (local.get $v)))
  ;; mem[16] * 100 + g
  (func $get (export "get") (result i32)
    (i32.add (i32.mul (i32.load (i32.const 16)) (i32.const 100)) (global.get $g)))
  (func (export "call_peer") (result i32)
    (call $peer_get))
  ;; The peer's value, then ours: our memory and instance after the cross call.
  (func (export "peer_then_own") (result i32)
    (i32.add (i32.mul (call $peer_get) (i32.const 10000)) (call $get)))
)
