// The code the fuel instrumenter inserts, in its two forms.
//
// Cached (most functions): like wasmtime, which keeps the count in a register, a function keeps
// it in a local of its own, read from the imported global at entry, charged and checked there,
// and written back wherever another function or the host may look at it: before every call and
// every way out (return, the body's end, a branch to the body's label, a tail call, a throw,
// unreachable). After a call it is read again, as the callee (and any host call) moved it.
//
// In place (functions with a legacy `try` or a `try_table`, whose handlers are entered from a
// callee's throw with the local behind the global; and any function whose signature cannot be
// read): the global is updated in place by every charge, and nothing is written back or re-read.
import { Reader, sleb, uleb, type Writer } from './bytes.ts';
import { valType } from './instructions.ts';
import { SECTION, type Section } from './sections.ts';
import { FUEL_EXHAUSTED } from '../../shared/fuel.ts';

/** V8 refuses a function with more locals than this; one that has them all keeps the in-place form. */
const MAX_LOCALS = 50_000;

// Opcodes of the inserted code.
const GLOBAL_GET = 0x23;
const GLOBAL_SET = 0x24;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I64_CONST = 0x42;
const I64_SUB = 0x7d;
const I64_LE_S = 0x57;

/** `i64.const cost` for each cost up to 4095, encoded once. */
const constants: Uint8Array[] = [];
function costConst(cost: number): Uint8Array {
  let code = constants[cost];
  if (!code) {
    code = Uint8Array.from([I64_CONST, ...sleb(BigInt(cost))]);
    if (cost < 4096) constants[cost] = code;
  }
  return code;
}

export interface Counter {
  /** At the function's entry, after its locals. */
  entry(out: Writer): void;
  /** At a loop header. */
  check(out: Writer): void;
  /** Stack-neutral: `cost` more used. */
  charge(out: Writer, cost: number): void;
  /**
   * A charge after which the global holds the count: before a call or a way out. `goesOn`: the
   * function may carry on after it without a reload (a conditional branch out).
   */
  flush(out: Writer, cost: number, goesOn: boolean): void;
  /** Right after a call: the count as the callee left it. */
  reload(out: Writer): void;
}

/** `i64.const 0; i64.le_s; if; i64.const EXHAUSTED; global.set; unreachable; end`: traps when the count on the stack is used up. */
function trapIfExhausted(global: number): Uint8Array {
  return Uint8Array.from([I64_CONST, 0x00, I64_LE_S, 0x04, 0x40, I64_CONST, ...sleb(FUEL_EXHAUSTED), GLOBAL_SET, ...uleb(global), 0x00, 0x0b]);
}

/** An opcode and the index it takes (a local's or a global's). */
function indexed(out: Writer, opcode: number, index: number): void {
  out.byte(opcode);
  out.u32(index);
}

/** `get index; i64.const cost; i64.sub; set index`, with the get and set of a global or a local. */
function subtract(out: Writer, get: number, set: number, index: number, cost: number): void {
  indexed(out, get, index);
  out.bytes(costConst(cost));
  out.byte(I64_SUB);
  indexed(out, set, index);
}

export class InPlaceCounter implements Counter {
  private readonly checkCode: Uint8Array;

  constructor(private readonly global: number) {
    this.checkCode = Uint8Array.from([GLOBAL_GET, ...uleb(global), ...trapIfExhausted(global)]);
  }

  entry(out: Writer): void {
    out.bytes(this.checkCode);
  }

  check(out: Writer): void {
    out.bytes(this.checkCode);
  }

  charge(out: Writer, cost: number): void {
    subtract(out, GLOBAL_GET, GLOBAL_SET, this.global, cost);
  }

  flush(out: Writer, cost: number): void {
    if (cost > 0) this.charge(out, cost);
  }

  reload(): void {}
}

export class CachedCounter implements Counter {
  private readonly trap: Uint8Array;
  private local = 0;

  constructor(private readonly global: number) {
    this.trap = trapIfExhausted(global);
  }

  /** The function about to be written keeps its count in local `index`. */
  use(index: number): void {
    this.local = index;
  }

  entry(out: Writer): void {
    indexed(out, GLOBAL_GET, this.global);
    indexed(out, LOCAL_TEE, this.local);
    out.bytes(this.trap);
  }

  check(out: Writer): void {
    indexed(out, LOCAL_GET, this.local);
    out.bytes(this.trap);
  }

  charge(out: Writer, cost: number): void {
    if (cost > 0) subtract(out, LOCAL_GET, LOCAL_SET, this.local, cost);
  }

  flush(out: Writer, cost: number, goesOn: boolean): void {
    indexed(out, LOCAL_GET, this.local);
    if (cost > 0) {
      out.bytes(costConst(cost));
      out.byte(I64_SUB);
      if (goesOn) indexed(out, LOCAL_TEE, this.local);
    }
    indexed(out, GLOBAL_SET, this.global);
  }

  reload(out: Writer): void {
    indexed(out, GLOBAL_GET, this.global);
    indexed(out, LOCAL_SET, this.local);
  }
}

/**
 * The parameter count of each function the module defines, in code-section order; undefined
 * when the type section holds something this cannot read (those functions keep the in-place form).
 */
export function definedFunctionParams(bytes: Uint8Array, sections: Section[]): number[] | undefined {
  const types = sections.find((s) => s.id === SECTION.type);
  const functions = sections.find((s) => s.id === SECTION.function);
  if (!functions) return [];
  const params: Array<number | undefined> = [];
  if (types) {
    const r = new Reader(bytes, types.start, types.end);
    const subtype = () => {
      let form = r.u8();
      if (form === 0x50 || form === 0x4f) {
        for (let supers = r.u32(); supers > 0; supers--) r.u32();
        form = r.u8();
      }
      if (form === 0x60) {
        const count = r.u32();
        for (let i = 0; i < count; i++) valType(r);
        params.push(count);
        for (let results = r.u32(); results > 0; results--) valType(r);
      } else if (form === 0x5f || form === 0x5e) {
        for (let fields = form === 0x5f ? r.u32() : 1; fields > 0; fields--) {
          valType(r); // a storage type: a value type or i8/i16, one byte
          r.u8(); // mutability
        }
        params.push(undefined);
      } else {
        throw new Error(`type form 0x${form.toString(16)}`);
      }
    };
    try {
      for (let count = r.u32(); count > 0; count--) {
        if (r.buf[r.pos] === 0x4e) {
          r.pos++;
          for (let members = r.u32(); members > 0; members--) subtype();
        } else subtype();
      }
    } catch {
      return undefined;
    }
  }
  const r = new Reader(bytes, functions.start, functions.end);
  const out: number[] = [];
  for (let count = r.u32(); count > 0; count--) {
    const own = params[r.u32()];
    if (own === undefined) return undefined;
    out.push(own);
  }
  return out;
}

/** Whether a function with `params` parameters and `declared` locals may have one more. */
export function roomForLocal(params: number, declared: number): boolean {
  return params + declared < MAX_LOCALS;
}
