;; Benchmark plugin: Extism's count_vowels as a compiled guest, written by hand against the
;; canonical ABI of world `plugin` (wit/plugin.wit), so a call costs what the host costs and
;; almost nothing else. Wrapped into a component by scripts/build-samples.mjs.
;;
;; Memory map (bytes):
;;     256 ..  511  vowel table: 1 at the code of each of "aeiouAEIOU"
;;     512 ..  831  metadata strings
;;    1024 .. 1055  metadata() return area: four (ptr, len) pairs
;;    1088 .. 1099  on-event() return area: result<_, string>
;;    1152 .. 1407  the JSON line handed to log-info
;;    1408 .. 1439  digits scratch
;;    1600 .. 1639  JSON pieces
;;    4096 ..       bump heap for cabi_realloc, emptied after every call
(module
  (import "playground:plugin/host@0.1.0" "log-info" (func $log_info (param i32 i32)))

  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (global $total (mut i32) (i32.const 0))

  (data (i32.const 321) "\01") ;; A
  (data (i32.const 325) "\01") ;; E
  (data (i32.const 329) "\01") ;; I
  (data (i32.const 335) "\01") ;; O
  (data (i32.const 341) "\01") ;; U
  (data (i32.const 353) "\01") ;; a
  (data (i32.const 357) "\01") ;; e
  (data (i32.const 361) "\01") ;; i
  (data (i32.const 367) "\01") ;; o
  (data (i32.const 373) "\01") ;; u

  (data (i32.const 512) "bench-vowels-wat")
  (data (i32.const 576) "0.1.0")
  (data (i32.const 640) "Plugin Playground benchmarks")
  (data (i32.const 704) "Counts the vowels of a plugin event's payload and logs the count.")

  (data (i32.const 1152) "{\"count\":")
  (data (i32.const 1600) ",\"total\":")
  (data (i32.const 1616) ",\"vowels\":\"aeiouAEIOU\"}")

  ;; A bump allocator: the host asks for room for the event's strings before each call.
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq
              (memory.grow
                (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535)) (i32.const 16)))
              (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (if (local.get $old)
      (then
        (memory.copy (local.get $ptr) (local.get $old)
          (select (local.get $old_size) (local.get $new_size) (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $ptr))

  (func $count_vowels (param $ptr i32) (param $len i32) (result i32)
    (local $end i32) (local $n i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.load8_u offset=256 (i32.load8_u (local.get $ptr)))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Writes `value` in decimal at `dst`; returns the end of what it wrote.
  (func $decimal (param $value i32) (param $dst i32) (result i32)
    (local $p i32) (local $len i32)
    (local.set $p (i32.const 1440))
    (loop $more
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $value) (i32.const 10))))
      (local.set $value (i32.div_u (local.get $value) (i32.const 10)))
      (br_if $more (local.get $value)))
    (local.set $len (i32.sub (i32.const 1440) (local.get $p)))
    (memory.copy (local.get $dst) (local.get $p) (local.get $len))
    (i32.add (local.get $dst) (local.get $len)))

  (func (export "playground:plugin/guest@0.1.0#metadata") (result i32)
    (i32.store (i32.const 1024) (i32.const 512))
    (i32.store (i32.const 1028) (i32.const 16))
    (i32.store (i32.const 1032) (i32.const 576))
    (i32.store (i32.const 1036) (i32.const 5))
    (i32.store (i32.const 1040) (i32.const 640))
    (i32.store (i32.const 1044) (i32.const 28))
    (i32.store (i32.const 1048) (i32.const 704))
    (i32.store (i32.const 1052) (i32.const 65))
    (i32.const 1024))

  ;; `event` flattened: its case, then the cases' fields joined slot by slot. For
  ;; plugin-event (case 9) the payload string is in slots 5 and 6.
  (func (export "playground:plugin/guest@0.1.0#on-event")
    (param $case i32) (param i32 i32 i64 i64) (param $payload i32) (param $payload_len i32) (param i32 i32 i32)
    (result i32)
    (local $count i32) (local $out i32)
    (if (i32.eq (local.get $case) (i32.const 9))
      (then
        (local.set $count (call $count_vowels (local.get $payload) (local.get $payload_len)))
        (global.set $total (i32.add (global.get $total) (local.get $count)))
        ;; {"count":N,"total":T,"vowels":"aeiouAEIOU"}
        (local.set $out (call $decimal (local.get $count) (i32.const 1161)))
        (memory.copy (local.get $out) (i32.const 1600) (i32.const 9))
        (local.set $out (call $decimal (global.get $total) (i32.add (local.get $out) (i32.const 9))))
        (memory.copy (local.get $out) (i32.const 1616) (i32.const 23))
        (local.set $out (i32.add (local.get $out) (i32.const 23)))
        (call $log_info (i32.const 1152) (i32.sub (local.get $out) (i32.const 1152)))))
    ;; The event's strings are no longer needed: the next call starts from an empty heap.
    (global.set $heap (i32.const 4096))
    (i32.store8 (i32.const 1088) (i32.const 0))
    (i32.const 1088))
)
