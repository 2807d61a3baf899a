// Types for the one piece of Monaco's internals the playground reaches (see monaco.ts): the
// tokenizer of a language, to give the trace's JSON lines no background tokenization.
declare module 'monaco-editor/editor/common/languages' {
  interface BackgroundTokenizer {
    dispose(): void;
    requestTokens(startLineNumber: number, endLineNumberExclusive: number): void;
    reportMismatchingTokens?(lineNumber: number): void;
  }
  interface TokenizationSupport {
    createBackgroundTokenizer?: () => BackgroundTokenizer;
  }
  export const TokenizationRegistry: { get(languageId: string): TokenizationSupport | null };
}
