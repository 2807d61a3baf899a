// Decodes one WebAssembly instruction: skips its immediates and says what it means for fuel
// (its cost under wasmtime's default table, and whether it ends a stretch of straight-line code).
// Covers MVP, sign-extension, saturating truncation, bulk memory, reference types, multi-value,
// multi-memory, memory64, SIMD and relaxed SIMD, threads (atomics), tail calls, exception handling
// (exnref `try_table` and the legacy `try`/`catch`/`delegate`), typed function references, GC and
// wide arithmetic. Anything else (stringref, stack switching, shared-everything) is refused.
import { FuelError, Reader } from './bytes.ts';

// What an instruction does to the fuel count. `scan` returns `kind * 2 + cost`.
/** Straight-line: its cost is added to the pending count. */
export const PLAIN = 0;
/** `block`, `try`, `try_table`: opens a label but control falls straight in. */
export const OPEN = 1;
/** `loop`: pending fuel is charged before it, and the budget is checked at its header. */
export const LOOP = 2;
/** `if`: charged before it (with its own cost), opens a label. */
export const IF = 3;
export const ELSE = 4;
export const END = 5;
/** A conditional branch (`br_if`, `br_on_*`): charged before it, code after it is live. */
export const BRANCH = 6;
/** A call that returns here: charged before it, so the callee's entry check sees it. */
export const CALL = 7;
/** Control never falls through (`br`, `br_table`, `return`, `unreachable`, throws, tail calls). */
export const TRANSFER = 8;
/** Legacy `catch`/`catch_all`: starts a handler. */
export const CATCH = 9;
/** Legacy `delegate`: ends a `try` like `end`. */
export const DELEGATE = 10;

// wasmtime's default `operator_cost`: 0 for nop, drop, block, loop, unreachable, return, else and
// end; 1 for every other operator.
// Precomputed `scan` results, `kind * 2 + cost` (0 or 1).
const FREE_PLAIN = PLAIN * 2;
const PAID_PLAIN = PLAIN * 2 + 1;
const FREE_OPEN = OPEN * 2;
const PAID_OPEN = OPEN * 2 + 1;
const FREE_LOOP = LOOP * 2;
const PAID_IF = IF * 2 + 1;
const FREE_ELSE = ELSE * 2;
const FREE_END = END * 2;
const PAID_BRANCH = BRANCH * 2 + 1;
const PAID_CALL = CALL * 2 + 1;
const FREE_TRANSFER = TRANSFER * 2;
const PAID_TRANSFER = TRANSFER * 2 + 1;
const PAID_CATCH = CATCH * 2 + 1;
const PAID_DELEGATE = DELEGATE * 2 + 1;

const unsupported = (what: string, at: number) =>
  new FuelError(`fuel: cannot instrument ${what} at byte ${at}; only the proposals listed in src/compile/fuel/instructions.ts are supported.`);

/** A heap type: an abbreviation (one negative byte) or a type index (s33). */
function heapType(r: Reader): void {
  r.skipLeb();
}

export function valType(r: Reader): void {
  const byte = r.u8();
  if (byte === 0x63 || byte === 0x64) heapType(r); // (ref null ht), (ref ht)
}

function blockType(r: Reader): void {
  const byte = r.buf[r.pos];
  if (byte === 0x63 || byte === 0x64) {
    r.pos++;
    heapType(r);
  } else {
    r.skipLeb(); // 0x40 (empty), a one-byte value type, or a type index: all one s33
  }
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: a memory index follows
  r.skipLeb(); // offset: u32, or u64 with memory64
}

function gc(r: Reader, at: number): number {
  const sub = r.u32();
  if (sub <= 1 || (sub >= 6 && sub <= 7) || (sub >= 11 && sub <= 14) || sub === 16) r.u32();
  else if (sub <= 5 || (sub >= 8 && sub <= 10) || (sub >= 17 && sub <= 19)) {
    r.u32();
    r.u32();
  } else if (sub >= 20 && sub <= 23)
    heapType(r); // ref.test, ref.cast
  else if (sub === 24 || sub === 25) {
    r.u8(); // br_on_cast(_fail) flags
    r.u32();
    heapType(r);
    heapType(r);
    return PAID_BRANCH;
  } else if (sub !== 15 && (sub < 26 || sub > 30)) throw unsupported(`the GC instruction 0xfb ${sub}`, at);
  return PAID_PLAIN;
}

function misc(r: Reader, at: number): number {
  const sub = r.u32();
  if (sub === 8 || sub === 10 || sub === 12 || sub === 14) {
    r.u32();
    r.u32();
  } else if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
  else if (sub > 7 && (sub < 19 || sub > 22)) throw unsupported(`the instruction 0xfc ${sub}`, at);
  return PAID_PLAIN;
}

function simd(r: Reader, at: number): number {
  const sub = r.u32();
  if (sub <= 11 || sub === 92 || sub === 93) memarg(r);
  else if (sub === 12 || sub === 13)
    r.skip(16); // v128.const, i8x16.shuffle
  else if (sub >= 21 && sub <= 34)
    r.skip(1); // lane index
  else if (sub >= 84 && sub <= 91) {
    memarg(r); // load/store lane: memarg, then the lane
    r.skip(1);
  } else if (sub > 0x113) throw unsupported(`the SIMD instruction 0xfd ${sub}`, at);
  return PAID_PLAIN;
}

function atomic(r: Reader, at: number): number {
  const sub = r.u32();
  if (sub === 3)
    r.skip(1); // atomic.fence
  else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) memarg(r);
  else throw unsupported(`the atomic instruction 0xfe ${sub}`, at);
  return PAID_PLAIN;
}

/** Reads one instruction at `r.pos` and returns `kind * 2 + cost`. */
export function scan(r: Reader): number {
  const at = r.pos;
  const op = r.u8();
  if (op >= 0x45 && op <= 0xc4) return PAID_PLAIN; // numeric instructions without immediates
  if (op >= 0x20 && op <= 0x26) return (r.u32(), PAID_PLAIN); // locals, globals, table.get/set
  if (op >= 0x28 && op <= 0x3e) return (memarg(r), PAID_PLAIN); // loads and stores
  switch (op) {
    case 0x00: // unreachable
      return FREE_TRANSFER;
    case 0x01: // nop
    case 0x1a: // drop
      return FREE_PLAIN;
    case 0x02: // block
      return (blockType(r), FREE_OPEN);
    case 0x03:
      return (blockType(r), FREE_LOOP);
    case 0x04:
      return (blockType(r), PAID_IF);
    case 0x05:
      return FREE_ELSE;
    case 0x06: // try (legacy exceptions)
      return (blockType(r), PAID_OPEN);
    case 0x07: // catch (legacy)
      return (r.u32(), PAID_CATCH);
    case 0x19: // catch_all (legacy)
      return PAID_CATCH;
    case 0x18: // delegate (legacy)
      return (r.u32(), PAID_DELEGATE);
    case 0x08: // throw
    case 0x09: // rethrow (legacy)
    case 0x0c: // br
    case 0x12: // return_call
    case 0x15: // return_call_ref
      return (r.u32(), PAID_TRANSFER);
    case 0x0a: // throw_ref
      return PAID_TRANSFER;
    case 0x0b:
      return FREE_END;
    case 0x0d: // br_if
    case 0xd5: // br_on_null
    case 0xd6: // br_on_non_null
      return (r.u32(), PAID_BRANCH);
    case 0x0e: {
      const count = r.u32(); // br_table: count labels, then the default
      for (let i = 0; i <= count; i++) r.u32();
      return PAID_TRANSFER;
    }
    case 0x0f: // return
      return FREE_TRANSFER;
    case 0x10: // call
    case 0x14: // call_ref
      return (r.u32(), PAID_CALL);
    case 0x11: // call_indirect: type, table
      return (r.u32(), r.u32(), PAID_CALL);
    case 0x13: // return_call_indirect
      return (r.u32(), r.u32(), PAID_TRANSFER);
    case 0x1b: // select
    case 0xd1: // ref.is_null
    case 0xd3: // ref.eq
    case 0xd4: // ref.as_non_null
      return PAID_PLAIN;
    case 0x1c: {
      const count = r.u32(); // typed select
      for (let i = 0; i < count; i++) valType(r);
      return PAID_PLAIN;
    }
    case 0x1f: {
      blockType(r); // try_table, then its catch clauses
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const clause = r.u8();
        if (clause > 3) throw unsupported(`a try_table catch clause of kind ${clause}`, at);
        if (clause < 2) r.u32(); // catch / catch_ref name a tag
        r.u32(); // label
      }
      return PAID_OPEN;
    }
    case 0x3f: // memory.size
    case 0x40: // memory.grow
    case 0xd2: // ref.func
      return (r.u32(), PAID_PLAIN);
    case 0x41: // i32.const
    case 0x42: // i64.const
      return (r.skipLeb(), PAID_PLAIN);
    case 0x43:
      return (r.skip(4), PAID_PLAIN);
    case 0x44:
      return (r.skip(8), PAID_PLAIN);
    case 0xd0: // ref.null
      return (heapType(r), PAID_PLAIN);
    case 0xfb:
      return gc(r, at);
    case 0xfc:
      return misc(r, at);
    case 0xfd:
      return simd(r, at);
    case 0xfe:
      return atomic(r, at);
    default:
      throw unsupported(`the instruction 0x${op.toString(16)}`, at);
  }
}

/** Whether the branch or transfer at `at` leaves the function (`depth` blocks are open in its body). */
export function leavesFunction(bytes: Uint8Array, at: number, end: number, depth: number): boolean {
  const r = new Reader(bytes, at + 1, end);
  switch (bytes[at]) {
    case 0x0c: // br
    case 0x0d: // br_if
    case 0xd5: // br_on_null
    case 0xd6: // br_on_non_null
      return r.u32() === depth;
    case 0x0e: {
      const count = r.u32(); // br_table
      let leaves = false;
      for (let i = 0; i <= count; i++) if (r.u32() === depth) leaves = true;
      return leaves;
    }
    case 0xfb: // br_on_cast(_fail): sub-opcode, flags, label
      r.u32();
      r.u8();
      return r.u32() === depth;
    default: // return, unreachable, the throws, the tail calls
      return true;
  }
}
