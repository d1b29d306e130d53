;; A memory larger than small store caps.
(module
  (memory (export "memory") 8)
)
