// Monaco with the few editor features the playground uses, plus its TOML, WIT and JSON
// grammars. Load this module only with `import('./monaco.ts')` (type-only imports are fine):
// a static import would pull all of Monaco into the initial bundle. Being one dynamic entry,
// it builds into one lazy chunk; importing each part with its own import() splits it into ~90.
import * as monaco from 'monaco-editor/editor/editor.api';
import { TokenizationRegistry } from 'monaco-editor/editor/common/languages';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
// The package "exports" map sends every subpath to esm/vs/*.js, so reach the prebuilt
// stylesheet by path. It comes from the same build as the ESM modules.
import monacoCss from '../../node_modules/monaco-editor/min/vs/editor/editor.main.css?inline';
// The core API has no editor contributions; these are what a manifest editor, a WIT viewer
// and a trace viewer want. linesOperations also brings the core cursor and typing commands.
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/codicon/register';

export type Monaco = typeof monaco;
export { monaco };

/**
 * Monaco's stylesheet, for adopting into shadow roots: the ESM modules import their CSS from JS
 * and Vite attaches it to the document, where it cannot reach into shadow trees.
 */
export const styles = new CSSStyleSheet();
styles.replaceSync(monacoCss);

function followSystemTheme(): void {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
  apply();
  dark.addEventListener('change', apply);
}

function registerLanguages(): void {
  const quote = (q: string) => ({ open: q, close: q, notIn: ['string', 'comment'] });
  const languages: Array<[string, monaco.languages.IMonarchLanguage, monaco.languages.LanguageConfiguration]> = [
    [
      'toml',
      toml,
      {
        comments: { lineComment: '#' },
        brackets: [
          ['[', ']'],
          ['{', '}'],
        ],
        autoClosingPairs: [{ open: '[', close: ']' }, { open: '{', close: '}' }, quote('"'), quote("'")],
      },
    ],
    [
      'wit',
      wit,
      {
        comments: { lineComment: '//', blockComment: ['/*', '*/'] },
        brackets: [
          ['{', '}'],
          ['(', ')'],
          ['<', '>'],
        ],
        autoClosingPairs: [
          { open: '{', close: '}' },
          { open: '(', close: ')' },
          { open: '<', close: '>' },
        ],
      },
    ],
    [
      'json',
      json,
      {
        brackets: [
          ['{', '}'],
          ['[', ']'],
        ],
      },
    ],
  ];
  for (const [id, grammar, configuration] of languages) {
    monaco.languages.register({ id });
    monaco.languages.setMonarchTokensProvider(id, grammar);
    monaco.languages.setLanguageConfiguration(id, configuration);
  }
}

// TOML 1.0. Values get their own state so that `[` inside a (multi-line) array is not
// mistaken for a table header, and so that keys and values colour differently.
const toml: monaco.languages.IMonarchLanguage = {
  tokenPostfix: '.toml',
  defaultToken: 'invalid',
  tokenizer: {
    root: [
      { include: '@whitespace' },
      [/(\[\[)([^\]]*)(\]\])/, ['delimiter.bracket', 'type', 'delimiter.bracket']],
      [/(\[)([^\]]*)(\])/, ['delimiter.bracket', 'type', 'delimiter.bracket']],
      { include: '@key' },
      [/=/, 'delimiter', '@value'],
    ],
    key: [
      [/[A-Za-z0-9_-]+/, 'key'],
      [/"(?:[^"\\]|\\.)*"/, 'key'],
      [/'[^']*'/, 'key'],
      [/\./, 'delimiter'],
    ],
    // One value, then back to whoever pushed us.
    value: [
      [/[ \t]+/, ''],
      [/"""/, { token: 'string', switchTo: '@multiLineBasic' }],
      [/'''/, { token: 'string', switchTo: '@multiLineLiteral' }],
      [/"/, { token: 'string', switchTo: '@basic' }],
      [/'[^']*'/, 'string', '@pop'],
      [/\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?/, 'number.date', '@pop'],
      [/\d{2}:\d{2}:\d{2}(?:\.\d+)?/, 'number.date', '@pop'],
      [/0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+/, 'number', '@pop'],
      [/[+-]?(?:inf|nan)\b/, 'number', '@pop'],
      [/[+-]?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?/, 'number', '@pop'],
      [/(?:true|false)\b/, 'keyword', '@pop'],
      [/\[/, { token: '@brackets', switchTo: '@array' }],
      [/\{/, { token: '@brackets', switchTo: '@inlineTable' }],
      [/[^\s#]+/, 'invalid', '@pop'],
      [/#.*$/, 'comment', '@pop'],
    ],
    array: [{ include: '@whitespace' }, [/\]/, '@brackets', '@pop'], [/,/, 'delimiter'], [/[^\s,\]#]/, { token: '@rematch', next: '@value' }]],
    inlineTable: [[/[ \t]+/, ''], [/\}/, '@brackets', '@pop'], [/,/, 'delimiter'], { include: '@key' }, [/=/, 'delimiter', '@value']],
    basic: [
      [/[^"\\]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, 'string', '@pop'],
    ],
    multiLineBasic: [
      [/[^"\\]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"""/, 'string', '@pop'],
      [/"/, 'string'],
    ],
    multiLineLiteral: [
      [/[^']+/, 'string'],
      [/'''/, 'string', '@pop'],
      [/'/, 'string'],
    ],
    whitespace: [
      [/\s+/, ''],
      [/#.*$/, 'comment'],
    ],
  },
};

// The WIT IDL of the component model (component-model/design/mvp/WIT.md).
const wit: monaco.languages.IMonarchLanguage = {
  tokenPostfix: '.wit',
  keywords: [
    'package',
    'world',
    'interface',
    'import',
    'export',
    'use',
    'func',
    'record',
    'variant',
    'enum',
    'flags',
    'resource',
    'type',
    'include',
    'with',
    'as',
    'from',
    'constructor',
    'static',
    'borrow',
    'own',
    'async',
  ],
  types: [
    'string',
    'bool',
    'char',
    'u8',
    'u16',
    'u32',
    'u64',
    's8',
    's16',
    's32',
    's64',
    'f32',
    'f64',
    'float32',
    'float64',
    'list',
    'option',
    'result',
    'tuple',
    'future',
    'stream',
    'error-context',
  ],
  tokenizer: {
    root: [
      [/\s+/, ''],
      [/\/\/\/.*$/, 'comment.doc'],
      [/\/\/.*$/, 'comment'],
      [/\/\*/, 'comment', '@blockComment'],
      // namespace:name[/interface][@semver], as in `use wasi:io/streams@0.2.0.{error}`
      [
        /[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)+(?:\/[a-z][a-z0-9-]*)*(?:@\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?/,
        'string.package',
      ],
      [/@[a-z]+/, 'annotation'],
      [/%[a-z][a-z0-9-]*/i, 'identifier'], // `%` escapes a keyword into a name
      [/[a-z][a-z0-9]*(?:-[a-z0-9]+)*/i, { cases: { '@keywords': 'keyword', '@types': 'type', '@default': 'identifier' } }],
      [/\d+(?:\.\d+)*/, 'number'],
      [/->/, 'delimiter'],
      [/[{}()<>[\]]/, '@brackets'],
      [/[:;,.=*/_]/, 'delimiter'],
    ],
    blockComment: [
      [/[^/*]+/, 'comment'],
      [/\*\//, 'comment', '@pop'],
      [/[/*]/, 'comment'],
    ],
  },
};

// Enough JSON for read-only JSON lines; Monaco's JSON language service (and its worker) is
// much more than a trace viewer needs.
const json: monaco.languages.IMonarchLanguage = {
  tokenPostfix: '.json',
  tokenizer: {
    root: [
      [/\s+/, ''],
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'string.key'],
      [/"(?:[^"\\]|\\.)*"/, 'string.value'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/(?:true|false|null)\b/, 'keyword'],
      [/[{}[\]]/, '@brackets'],
      [/[,:]/, 'delimiter'],
    ],
  },
};

/**
 * Monaco colours every line of a model in the background, from the first on, lines nobody
 * scrolls to included; for a trace that grows by thousands of lines a second that is most of
 * the main thread, taken in between the host calls it should be answering. Each JSON line
 * starts in the grammar's first state, so the lines in view colour right on their own (Monaco
 * tokenizes what it shows, guessing the state from the line above): the JSON grammar gets a
 * background tokenizer that does nothing. This is internal API; should it go, lines are
 * coloured in the background again, which is slower but correct.
 */
function colourJsonLinesInViewOnly(): void {
  const support = TokenizationRegistry.get('json');
  if (support && !support.createBackgroundTokenizer)
    support.createBackgroundTokenizer = () => ({ dispose() {}, requestTokens() {}, reportMismatchingTokens() {} });
}

// Last, after the grammars above are initialised.
// Only the generic editor worker (diffing, word ranges, links); no language-service workers.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
registerLanguages();
colourJsonLinesInViewOnly();
followSystemTheme();
