;; The start function traps.
(module
  (func $s unreachable)
  (start $s)
)
