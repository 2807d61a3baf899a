// Fuel instrumentation of function bodies: the charges and checks inserted into each body of
// the code section (instrument.ts has the rules; counter.ts the inserted code).
import { FuelError, Patcher, Reader, Writer } from './bytes.ts';
import { CachedCounter, type InPlaceCounter, roomForLocal, type Counter } from './counter.ts';
import { BRANCH, CALL, CATCH, DELEGATE, ELSE, END, IF, LOOP, OPEN, PLAIN, TRANSFER, leavesFunction, scan, valType } from './instructions.ts';
import type { GlobalRenumber, Section } from './sections.ts';

export interface Counters {
  inPlace: InPlaceCounter;
  cached?: CachedCounter;
}

/**
 * One function body (locals, then code) with charges and checks inserted. With `cached` (and
 * the function's parameter count), the count lives in a local appended to the body's own; then
 * a `try` or `try_table` makes it return false, and the caller writes the body again in place.
 */
function instrumentBody(bytes: Uint8Array, start: number, end: number, counter: Counter, params: number, globals: GlobalRenumber, out: Writer): boolean {
  const r = new Reader(bytes, start, end);
  const groups = r.u32();
  const groupsEnd = r.pos;
  let declared = 0;
  for (let i = 0; i < groups; i++) {
    declared += r.u32();
    valType(r);
  }
  const p = new Patcher(bytes, out, start);
  const cached = counter instanceof CachedCounter;
  if (cached && !roomForLocal(params, declared)) return false;
  if (cached) {
    counter.use(params + declared);
    p.replace(start, groupsEnd, (o) => o.u32(groups + 1));
    p.to(r.pos);
    out.bytes([0x01, 0x7e]); // one i64
  } else {
    p.to(r.pos);
  }
  counter.entry(out);
  let pending = 0; // cost of the current stretch, not charged yet
  let depth = 0; // open blocks inside the function body
  let dead = false; // after an unconditional transfer, until the end of that block
  let deadDepth = 0;
  const charge = (at: number, cost: number) => {
    if (cost === 0) return;
    p.to(at);
    counter.charge(out, cost);
  };
  const flush = (at: number, cost: number, goesOn = false) => {
    p.to(at);
    counter.flush(out, cost, goesOn);
  };
  for (;;) {
    const at = r.pos;
    const op = bytes[at];
    if (op === 0x23 || op === 0x24) {
      r.pos++; // global.get/set: renumbered even in dead code, which must still validate
      globals.index(r, p);
      if (!dead) pending++;
      continue;
    }
    if (cached && (op === 0x06 || op === 0x1f)) return false; // try, try_table
    const info = scan(r);
    const kind = info >> 1;
    const cost = info & 1;
    if (dead) {
      if (kind === OPEN || kind === LOOP || kind === IF) depth++;
      else if ((kind === ELSE || kind === CATCH) && depth === deadDepth) {
        dead = false; // the next arm or handler is reached from elsewhere
        pending = kind === CATCH ? cost : 0;
      } else if (kind === END || kind === DELEGATE) {
        if (depth === deadDepth) dead = false;
        if (depth === 0) break;
        depth--;
      }
      continue;
    }
    switch (kind) {
      case PLAIN:
        pending += cost;
        break;
      case OPEN:
        pending += cost; // entering a block is straight-line
        depth++;
        break;
      case LOOP:
        charge(at, pending); // what came before the loop is charged once, not per iteration
        pending = 0;
        p.to(r.pos);
        counter.check(out); // loop header: runs on entry and on every branch back
        depth++;
        break;
      case IF:
        charge(at, pending + cost);
        pending = 0;
        depth++;
        break;
      case BRANCH:
        if (cached && leavesFunction(bytes, at, end, depth)) flush(at, pending + cost, true);
        else charge(at, pending + cost);
        pending = 0;
        break;
      case CALL:
        flush(at, pending + cost); // the callee reads the count from the global...
        pending = 0;
        p.to(r.pos);
        counter.reload(out); // ...and leaves it there
        break;
      case TRANSFER:
        // A br_table may also go to a label inside the function, which carries on with the local.
        if (cached && leavesFunction(bytes, at, end, depth)) flush(at, pending + cost, op === 0x0e);
        else charge(at, pending + cost);
        pending = 0;
        dead = true;
        deadDepth = depth;
        break;
      case ELSE:
      case END:
      case DELEGATE:
        if (kind === END && depth === 0) {
          flush(at, pending + cost);
          finishBody(r, p, end);
          return true;
        }
        charge(at, pending + cost);
        pending = 0;
        if (kind !== ELSE) depth--;
        break;
      case CATCH:
        charge(at, pending); // the end of the try body
        pending = cost; // the catch itself is charged on the way into the handler
        break;
    }
  }
  finishBody(r, p, end);
  return true;
}

function finishBody(r: Reader, p: Patcher, end: number): void {
  if (r.pos !== end) throw new FuelError(`fuel: a function body ends at byte ${r.pos}, before its declared end at ${end}; the module is malformed.`);
  p.to(end);
}

/** `params`: each defined function's parameter count (none: every body is written in place). */
export function instrumentCode(
  bytes: Uint8Array,
  section: Section,
  counters: Counters,
  params: number[] | undefined,
  globals: GlobalRenumber,
  out: Writer,
): void {
  const r = new Reader(bytes, section.start, section.end);
  const body = new Writer(64 * 1024);
  const count = r.u32();
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const start = r.pos;
    r.skip(size);
    body.reset();
    const own = params?.[i];
    const cached = own !== undefined && counters.cached !== undefined && instrumentBody(bytes, start, start + size, counters.cached, own, globals, body);
    if (!cached) {
      body.reset();
      instrumentBody(bytes, start, start + size, counters.inPlace, 0, globals, body);
    }
    out.u32(body.length);
    out.append(body.view());
  }
  if (r.pos !== section.end) throw new FuelError('fuel: the code section is malformed.');
}
