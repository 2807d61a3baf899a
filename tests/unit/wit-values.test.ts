import { describe, expect, it } from 'vitest';
import { readField, readJson, shapeHint } from '../../src/shared/wit/fields.ts';
import { camelCase, fromJco, toJco, type Handles } from '../../src/shared/wit/jco-values.ts';
import type { WitType } from '../../src/shared/wit/model.ts';
import { checkValue, formatValue, hasZero, parseJson, zeroValue } from '../../src/shared/wit/values.ts';

const t = (kind: string, more: object = {}) => ({ kind, ...more }) as WitType;
const r1: WitType = {
  name: 'r1',
  kind: 'record',
  fields: [
    { name: 'a-b', type: t('u8') },
    { name: 'note', type: t('option', { inner: t('string') }) },
  ],
};
const perms: WitType = { name: 'perms', kind: 'flags', flags: ['read', 'write-all'] };
const shape: WitType = { name: 'shape', kind: 'variant', cases: [{ name: 'dot' }, { name: 'circle', type: t('f64') }] };
const errno: WitType = { name: 'errno', kind: 'enum', cases: ['ok-ish', 'bad'] };

describe('checking a value against its WIT type', () => {
  const refused = (type: WitType, value: unknown) => {
    const checked = checkValue(type, value, 'arg');
    return checked.ok ? 'accepted' : checked.error;
  };

  it.each([
    ['u8', 255, 255],
    ['s8', -128, -128],
    ['u16', 65535, 65535],
    ['s32', -2147483648, -2147483648],
    ['u32', 4294967295, 4294967295],
    ['u64', '18446744073709551615', 18446744073709551615n],
    ['s64', -9223372036854775808n, -9223372036854775808n],
    ['u64', 7, 7n],
    ['f32', 'NaN', NaN],
    ['char', '🎧', '🎧'],
    ['bool', true, true],
  ])('%s accepts %s', (kind, value, expected) => {
    expect(checkValue(t(kind), value, 'arg')).toEqual({ ok: true, value: expected });
  });

  it('refuses out-of-range integers, naming the field and the range', () => {
    expect(refused(t('u8'), 256)).toBe('arg: expected u8 (an integer from 0 to 255), got 256');
    expect(refused(t('s16'), -32769)).toBe('arg: expected s16 (an integer from -32768 to 32767), got -32769');
    expect(refused(t('u32'), 1.5)).toBe('arg: expected u32 (an integer from 0 to 4294967295), got 1.5');
    expect(refused(t('u64'), -1n)).toBe('arg: expected u64 (an integer from 0 to 18446744073709551615), got -1');
    expect(refused(t('u64'), 2 ** 60)).toContain('write it as a string');
    expect(refused(t('u32'), '5')).toContain('expected u32');
  });

  it('refuses strings for char that are not one character, and non-strings for string', () => {
    expect(refused(t('char'), 'ab')).toBe('arg: expected char (exactly one character), got "ab"');
    expect(refused(t('string'), 5)).toBe('arg: expected string, got 5');
  });

  it('checks compound values field by field, with the path in the message', () => {
    expect(checkValue(r1, { 'a-b': 1 }, 'r')).toEqual({ ok: true, value: { 'a-b': 1, note: null } });
    expect(refused(r1, { 'a-b': 300 })).toBe('arg.a-b: expected u8 (an integer from 0 to 255), got 300');
    expect(refused(r1, { 'a-b': 1, extra: 2 })).toContain('(it has no field "extra")');
    expect(refused(r1, {})).toContain('(field "a-b" is missing)');
    expect(refused(t('list', { element: t('u8') }), [1, 'x'])).toBe('arg[1]: expected u8 (an integer from 0 to 255), got "x"');
    expect(refused(t('tuple', { items: [t('u8'), t('bool')] }), [1])).toBe('arg: expected tuple<u8, bool> (an array of 2 items), got [1]');
    expect(checkValue(perms, ['write-all', 'read'], 'p')).toEqual({ ok: true, value: ['read', 'write-all'] });
    expect(refused(perms, ['exec'])).toContain('("exec" is not one of its flags)');
    expect(checkValue(shape, { tag: 'circle', val: 2 }, 's')).toEqual({ ok: true, value: { tag: 'circle', val: 2 } });
    expect(refused(shape, { tag: 'dot', val: 1 })).toContain('(case "dot" carries no value)');
    expect(refused(shape, { tag: 'square' })).toContain('{"tag": one of "dot", "circle", "val": …}');
    expect(refused(errno, 'worse')).toBe('arg: expected errno (one of "ok-ish", "bad"), got "worse"');
  });

  it('reads options and results in their JSON shapes', () => {
    const opt = t('option', { inner: t('u8') });
    const nested = t('option', { inner: opt });
    const res = t('result', { ok: t('u8'), err: t('string') });
    expect(checkValue(opt, null, 'o')).toEqual({ ok: true, value: null });
    expect(checkValue(opt, 3, 'o')).toEqual({ ok: true, value: 3 });
    expect(checkValue(nested, { tag: 'some', val: 3 }, 'o')).toEqual({ ok: true, value: { tag: 'some', val: 3 } });
    expect(checkValue(nested, { tag: 'none' }, 'o')).toEqual({ ok: true, value: { tag: 'none' } });
    expect(refused(nested, 3)).toContain('an option inside an option is');
    expect(checkValue(res, { tag: 'err', val: 'no' }, 'r')).toEqual({ ok: true, value: { tag: 'err', val: 'no' } });
    expect(refused(res, { tag: 'ok', val: 'no' })).toBe('arg.val: expected u8 (an integer from 0 to 255), got "no"');
    expect(checkValue(t('result'), { tag: 'ok' }, 'r')).toEqual({ ok: true, value: { tag: 'ok' } });
  });

  it('takes resource handles as a call returned them', () => {
    const own = t('own', { resource: 'bucket' });
    expect(checkValue(own, { resource: 'bucket', handle: 2 }, 'b')).toEqual({ ok: true, value: { resource: 'bucket', handle: 2 } });
    expect(refused(own, { resource: 'file', handle: 2 })).toContain('{"resource": "bucket", "handle": n} from an earlier call');
  });
});

describe('zero values', () => {
  it.each<[WitType, unknown]>([
    [t('bool'), false],
    [t('s64'), 0n],
    [t('f32'), 0],
    [t('string'), ''],
    [t('list', { element: t('u8') }), []],
    [t('option', { inner: t('u8') }), null],
    [t('result', { ok: t('u8'), err: t('string') }), { tag: 'ok', val: 0 }],
    [t('result', { ok: t('own', { resource: 'r' }), err: t('string') }), { tag: 'err', val: '' }],
    [r1, { 'a-b': 0, note: null }],
    [shape, { tag: 'dot' }],
    [errno, 'ok-ish'],
    [perms, []],
    [t('tuple', { items: [t('char'), t('u32')] }), ['\0', 0]],
  ])('case %#', (type, zero) => {
    expect(zeroValue(type)).toEqual(zero);
    expect(checkValue(type, zero, 'zero').ok).toBe(true);
  });

  it('do not exist for a resource', () => {
    expect(hasZero(t('own', { resource: 'r' }))).toBe(false);
    expect(hasZero(t('option', { inner: t('own', { resource: 'r' }) }))).toBe(true);
    expect(hasZero(t('record', { fields: [{ name: 'r', type: t('borrow', { resource: 'r' }) }] }))).toBe(false);
  });
});

describe('form fields and JSON text', () => {
  it('reads scalars as typed and compound values as JSON', () => {
    expect(readField(t('u64'), ' 18446744073709551615 ', 'id')).toEqual({ ok: true, value: 18446744073709551615n });
    expect(readField(t('u8'), 'x', 'n')).toEqual({ ok: false, error: 'n: expected u8 (an integer), got "x"' });
    expect(readField(t('f64'), '2.5e3', 'x')).toEqual({ ok: true, value: 2500 });
    expect(readField(t('f64'), 'big', 'x')).toEqual({ ok: false, error: 'x: expected f64 (a number), got "big"' });
    expect(readField(t('string'), 'plain text', 's')).toEqual({ ok: true, value: 'plain text' });
    expect(readField(t('bool'), true, 'b')).toEqual({ ok: true, value: true });
    expect(readField(r1, '{"a-b": 2}', 'r')).toEqual({ ok: true, value: { 'a-b': 2, note: null } });
    expect(readField(r1, '{a-b: 2}', 'r')).toMatchObject({ ok: false, error: expect.stringMatching(/^r: not valid JSON \(.+\); expected r1$/) });
    expect(readJson(t('string'), '"quoted"', 's')).toEqual({ ok: true, value: 'quoted' });
  });

  it('shows the expected shape beside a JSON field', () => {
    expect(shapeHint(r1)).toBe('r1 = record { a-b: u8, note: option<string> } e.g. {"a-b":0,"note":null}');
    expect(shapeHint(t('list', { element: perms }))).toBe('list<perms> e.g. []');
  });

  it('writes 64-bit integers exactly and names non-finite floats', () => {
    expect(formatValue({ big: 18446744073709551615n, small: -1n, nan: NaN, inf: -Infinity })).toBe(
      '{"big":18446744073709551615,"small":-1,"nan":"NaN","inf":"-Infinity"}',
    );
    expect(parseJson('[1, "a", {"b": null}]')).toEqual([1, 'a', { b: null }]);
  });
});

describe('jco values', () => {
  const objects = new Map<number, unknown>();
  const handles: Handles = {
    toJs: (_resource, handle) => objects.get(handle),
    fromJs: (_resource, object) => {
      objects.set(objects.size + 1, object);
      return objects.size;
    },
  };
  const roundTrip = (type: WitType, value: unknown) => fromJco(type, toJco(type, value, handles), handles);

  it('names record fields and flags in lowerCamelCase, as jco does', () => {
    expect(camelCase('list-in-record1')).toBe('listInRecord1');
    expect(toJco(r1, { 'a-b': 1, note: null }, handles)).toEqual({ aB: 1, note: undefined });
    expect(toJco(perms, ['write-all'], handles)).toEqual({ read: false, writeAll: true });
    expect(fromJco(perms, { read: true, writeAll: false }, handles)).toEqual(['read']);
  });

  it.each<[WitType, unknown]>([
    [r1, { 'a-b': 9, note: 'hi' }],
    [t('option', { inner: t('option', { inner: t('u8') }) }), { tag: 'some', val: 4 }],
    [t('option', { inner: t('option', { inner: t('u8') }) }), { tag: 'none' }],
    [t('result', { ok: t('u8'), err: t('string') }), { tag: 'err', val: 'no' }],
    [t('result'), { tag: 'ok' }],
    [shape, { tag: 'circle', val: 1.5 }],
    [t('tuple', { items: [errno, t('s64')] }), ['bad', -5n]],
    [t('own', { resource: 'bucket' }), { resource: 'bucket', handle: 1 }],
  ])('round trip %#', (type, value) => {
    expect(roundTrip(type, value)).toEqual(value);
  });

  it('takes typed arrays from jco as plain lists', () => {
    expect(fromJco(t('list', { element: t('u8') }), Uint8Array.from([1, 2]), handles)).toEqual([1, 2]);
    expect(fromJco(t('list', { element: t('u64') }), BigUint64Array.from([3n]), handles)).toEqual([3n]);
  });
});
