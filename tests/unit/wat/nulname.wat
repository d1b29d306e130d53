;; Import names that contain NUL bytes.
(module
  (import "en\00v" "f\00x" (func $f (result i32)))
  (func (export "call") (result i32) (call $f))
)
