;; A component that is not a plugin, for the Explore view: `relay` passes a stubbed import's
;; value back (+1), `count` tells a fresh instance from an old one, `boom` traps, `spin` spins.
;;
;; Memory map (bytes):
;;      512 ..  519  "relaying"
;;     1024 .. 1035  get-reading's return area: label (ptr, len), value
;;     4096 ..       bump heap for cabi_realloc, emptied after every call
(module
  (import "test:relay/host@0.1.0" "get-reading" (func $get_reading (param i64 i32)))
  (import "test:relay/host@0.1.0" "note" (func $note (param i32 i32)))

  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $calls (mut i32) (i32.const 0))

  (data (i32.const 512) "relaying")

  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $ptr) (local.get $new_size)))
    ;; Test values are small; past one page is a bug in the test, not a case to handle.
    (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
    (local.get $ptr))

  (func $served
    (global.set $heap (i32.const 4096))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))

  (func (export "relay") (param $id i64) (result i32)
    (call $served)
    (call $note (i32.const 512) (i32.const 8))
    (call $get_reading (local.get $id) (i32.const 1024))
    (i32.add (i32.load (i32.const 1032)) (i32.const 1)))

  (func (export "count") (result i32)
    (call $served)
    (global.get $calls))

  (func (export "boom")
    (call $served)
    unreachable)

  (func (export "spin")
    (call $served)
    (loop $forever (br $forever)))
)
