;; The second data segment is out of bounds: instantiation traps, the first stays written.
(module
  (import "env" "mem" (memory 1))
  (data (i32.const 0) "abc")
  (data (i32.const 65535) "xy")
)
