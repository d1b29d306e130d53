;; Invalid (assembled with --no-check): function 1 returns an i64 where i32 is declared.
(module
  (func (result i32) (i32.const 0))
  (func (result i32) (i64.const 1))
)
