;; A plugin whose core module's start function never returns: instantiating it spins, so
;; reading its metadata at install (and any start) must be cut off by the host. Otherwise it
;; is the trapper test plugin.
;;
;; Memory map (bytes):
;;     512 ..  639  metadata strings
;;    1024 .. 1055  metadata() return area: four (ptr, len) pairs
;;    1088 .. 1099  on-event() return area: result<_, string>
;;    1152 .. 1183  the log line
;;    4096 ..       bump heap for cabi_realloc, emptied after every call
(module
  (import "playground:plugin/host@0.1.0" "log-info" (func $log_info (param i32 i32)))

  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $handled (mut i32) (i32.const 0))

  (func $spin (loop $forever (br $forever)))
  (start $spin)

  (data (i32.const 512) "spinner")
  (data (i32.const 544) "0.1.0")
  (data (i32.const 576) "tests")
  (data (i32.const 608) "Traps on played tracks.")
  (data (i32.const 1152) "survived 0 events")

  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $ptr) (local.get $new_size)))
    ;; Events in tests are small; past one page is a bug in the test, not a case to handle.
    (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
    (local.get $ptr))

  (func (export "playground:plugin/guest@0.1.0#metadata") (result i32)
    (i32.store (i32.const 1024) (i32.const 512))
    (i32.store (i32.const 1028) (i32.const 7))
    (i32.store (i32.const 1032) (i32.const 544))
    (i32.store (i32.const 1036) (i32.const 5))
    (i32.store (i32.const 1040) (i32.const 576))
    (i32.store (i32.const 1044) (i32.const 5))
    (i32.store (i32.const 1048) (i32.const 608))
    (i32.store (i32.const 1052) (i32.const 23))
    (i32.const 1024))

  ;; `event` flattened: its case (1 = track-played), then the cases' fields slot by slot.
  (func (export "playground:plugin/guest@0.1.0#on-event")
    (param $case i32) (param i32 i32 i64 i64 i32 i32 i32 i32 i32)
    (result i32)
    (global.set $heap (i32.const 4096))
    (if (i32.eq (local.get $case) (i32.const 1)) (then unreachable))
    (global.set $handled (i32.add (global.get $handled) (i32.const 1)))
    ;; One digit is enough for a test: "survived N events".
    (i32.store8 (i32.const 1161) (i32.add (i32.const 48) (i32.rem_u (global.get $handled) (i32.const 10))))
    (call $log_info (i32.const 1152) (i32.const 17))
    (i32.store8 (i32.const 1088) (i32.const 0))
    (i32.const 1088))
)
