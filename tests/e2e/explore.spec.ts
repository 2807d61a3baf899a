import { expect, shared, test, testPluginPath, type PlaygroundPage } from './fixtures.ts';

const component = (name: string) => `${shared}/reference/components/${name}.component.wasm`;

/** Drops a component that is not a plugin and waits for the Explore view to show it. */
async function explore(playground: PlaygroundPage, path: string): Promise<void> {
  await playground.upload(path);
  const name = path.split('/').pop()!;
  // The first component explored in a page starts a compile worker of its own.
  await expect(playground.status).toContainText(`${name} is not a playground, Hydrust or SoundTime plugin, so it was not installed`, { timeout: 90_000 });
  await expect(playground.page.getByTestId('explore').locator('h3')).toContainText(name);
}

const fn = (playground: PlaygroundPage, name: string) => playground.page.locator(`[data-testid="export-fn"][data-name="${name}"]`);
const stub = (playground: PlaygroundPage, name: string) => playground.page.locator(`[data-testid="import-stub"][data-name="${name}"]`);

/** Fills the named fields of an export's form, calls it, and returns its result element. */
async function call(playground: PlaygroundPage, name: string, fields: Record<string, string> = {}) {
  const form = fn(playground, name);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByTestId('call').click();
  return form;
}

async function expectReturns(playground: PlaygroundPage, name: string, fields: Record<string, string>, result: string): Promise<void> {
  const form = await call(playground, name, fields);
  await expect(form.getByTestId('call-result')).toHaveText(result);
  await expect(form.getByTestId('call-duration')).toContainText(/returned in \d+\.\d\d ms/);
}

test.describe('a component that is not a plugin opens in Explore', () => {
  test.describe.configure({ timeout: 180_000 });

  test('adder: its whole WIT, a form per export, a call with its result and duration', async ({ playground }) => {
    await explore(playground, component('adder'));
    await expect(playground.plugin('adder')).toHaveCount(0);
    const wit = await playground.editorValue('explore-wit');
    expect(wit).toContain('export docs:adder/add@0.1.0;');
    expect(wit).toContain('package docs:adder@0.1.0 {');
    expect(wit).toContain('add: func(x: u32, y: u32) -> u32;');
    await expectReturns(playground, 'docs:adder/add@0.1.0#add', { x: '40', y: '2' }, '42');
    await expect(playground.trace('explore:adder.component', 'event')).toContainText(['docs:adder/add@0.1.0#add [40,2]']);
  });

  test('an argument of the wrong type is refused before the call, naming the field and the type', async ({ playground }) => {
    await explore(playground, component('adder'));
    const form = await call(playground, 'docs:adder/add@0.1.0#add', { x: '-1', y: '2' });
    await expect(form.getByTestId('call-error')).toHaveText('Not called: x: expected u32 (an integer from 0 to 4294967295), got -1.');
    await call(playground, 'docs:adder/add@0.1.0#add', { x: '1', y: 'two' });
    await expect(form.getByTestId('call-error')).toHaveText('Not called: y: expected u32 (an integer), got "two".');
    await expect(playground.trace('explore:adder.component', 'event')).toHaveCount(0);
  });

  test('numbers: every integer width at its limits (64-bit exact), floats and char round trip', async ({ playground }) => {
    await explore(playground, component('numbers'));
    const roundtrip = (kind: string, value: string, result = value) => expectReturns(playground, `test:numbers/test#roundtrip-${kind}`, { a: value }, result);
    await roundtrip('u8', '255');
    await roundtrip('s8', '-128');
    await roundtrip('u16', '65535');
    await roundtrip('s16', '-32768');
    await roundtrip('u32', '4294967295');
    await roundtrip('s32', '-2147483648');
    await roundtrip('u64', '18446744073709551615');
    await roundtrip('s64', '-9223372036854775808');
    await roundtrip('f32', '1.5');
    await roundtrip('f64', '3.141592653589793');
    await roundtrip('char', 'ß', '"ß"');
    const form = await call(playground, 'test:numbers/test#roundtrip-u8', { a: '256' });
    await expect(form.getByTestId('call-error')).toContainText('a: expected u8 (an integer from 0 to 255), got 256');
    await call(playground, 'test:numbers/test#set-scalar', { a: '7' });
    await expectReturns(playground, 'test:numbers/test#get-scalar', {}, '7');
  });

  test('records: flags, records and tuples typed as JSON with their shape shown', async ({ playground }) => {
    await explore(playground, component('records'));
    const record = fn(playground, 'test:records/test#roundtrip-record1');
    await expect(record.getByTestId('param-shape')).toContainText('r1 = record { a: u8, b: f1 }');
    await expectReturns(playground, 'test:records/test#roundtrip-record1', { a: '{"a": 8, "b": ["b"]}' }, '{\n  "a": 8,\n  "b": [\n    "b"\n  ]\n}');
    await expectReturns(playground, 'test:records/test#roundtrip-flags2', { a: '["c", "e"]' }, '[\n  "c",\n  "e"\n]');
    await expectReturns(playground, 'test:records/test#swap-tuple', { a: '[1, 2]' }, '[\n  2,\n  1\n]');
    await expectReturns(playground, 'test:records/test#multiple-results', {}, '[\n  100,\n  200\n]');
    const wrong = await call(playground, 'test:records/test#roundtrip-flags1', { a: '["a", "z"]' });
    await expect(wrong.getByTestId('call-error')).toContainText('("z" is not one of its flags)');
  });

  test('flavorful: option, result, list, enum and typedefs round trip; a stub call is traced with its arguments', async ({ playground }) => {
    await explore(playground, component('flavorful'));
    await expectReturns(playground, 'test:flavorful/test#f-list-in-variant3', { a: '"input3"' }, '"output3"');
    await expectReturns(playground, 'test:flavorful/test#errno-result', {}, '{\n  "tag": "err",\n  "val": "b"\n}');
    await expectReturns(
      playground,
      'test:flavorful/test#list-typedefs',
      { a: 'typedef1', c: '["typedef2"]' },
      JSON.stringify([[...Buffer.from('typedef3')], ['typedef4']], null, 2),
    );
    await expect(playground.page.getByTestId('wasi-imports')).toContainText('wasi:cli/stdout@0.2.0');
    await expect(stub(playground, 'test:flavorful/test#f-list-in-record1')).toBeVisible();
    // test-imports calls every import and checks what comes back: zero values fail its checks.
    const form = await call(playground, 'test-imports');
    await expect(form.getByTestId('call-error')).toContainText('trapped:');
    await playground.showTrace();
    await expect(playground.trace('explore:flavorful.component', 'host-call')).toContainText([
      'test:flavorful/test#f-list-in-record1({"a":"list_in_record1"}) → ok',
    ]);
  });

  test('a user-set stub value is returned through; a wrong-shaped one is refused', async ({ playground }) => {
    await explore(playground, testPluginPath('explore-relay'));
    const reading = stub(playground, 'test:relay/host@0.1.0#get-reading');
    await reading.getByTestId('stub-value').fill('{"label": 1, "value": 41}');
    await reading.getByTestId('stub-set').click();
    await expect(reading.getByTestId('stub-message')).toHaveText('Not set: the value for test:relay/host@0.1.0#get-reading.label: expected string, got 1.');
    await reading.getByTestId('stub-value').fill('{"label": "kitchen", "value": 41}');
    await reading.getByTestId('stub-set').click();
    await expect(reading.getByTestId('stub-message')).toHaveText('Set: calls return this value.');
    await expectReturns(playground, 'relay', { id: '7' }, '42');
    await playground.showTrace();
    const calls = playground.trace('explore:explore-relay', 'host-call');
    await expect(calls).toContainText(['test:relay/host@0.1.0#note("relaying") → ok', 'test:relay/host@0.1.0#get-reading(7) → {"label":"kitchen","value":41}']);
  });

  test('a trap is shown and the next call gets a fresh instance; so does a call past its time limit', async ({ playground }) => {
    await explore(playground, testPluginPath('explore-relay'));
    await expectReturns(playground, 'count', {}, '1');
    await expectReturns(playground, 'count', {}, '2');
    const boom = await call(playground, 'boom');
    await expect(boom.getByTestId('call-error')).toContainText(/^trapped: .*unreachable.*; the instance was discarded and a fresh one serves the next call$/);
    await expectReturns(playground, 'count', {}, '1');
    // Explored components run uncounted (nothing in them is instrumented): the time limit holds them.
    await playground.setLimit('timeLimitMs', '100');
    const spin = await call(playground, 'spin');
    await expect(spin.getByTestId('call-error')).toContainText('killed: the call ran past its time limit of 100 ms');
    await expectReturns(playground, 'count', {}, '1');
  });

  test('explored components are listed, kept across a reload, and removable', async ({ playground }) => {
    await explore(playground, component('adder'));
    await explore(playground, testPluginPath('explore-relay'));
    const list = playground.page.getByTestId('explored');
    await expect(list).toHaveCount(2);
    await playground.page.reload();
    await expect(list).toHaveCount(2);
    await list.filter({ hasText: 'adder' }).getByRole('button', { name: 'adder.component.wasm' }).click();
    await expectReturns(playground, 'docs:adder/add@0.1.0#add', { x: '1', y: '2' }, '3');
    await list.filter({ hasText: 'adder' }).getByTestId('explored-remove').click();
    await expect(list).toHaveCount(1);
    await list.getByTestId('explored-remove').click();
    await expect(playground.page.getByTestId('explore')).toHaveCount(0);
  });
});
