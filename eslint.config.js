// Lint rules for the whole repository; Prettier owns the formatting (`npm run lint` runs both).
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'public/samples/',
      'sample-plugins/types/',
      '**/dist/',
      'bench/results/',
      'test-results/',
      'playwright-report/',
      // AssemblyScript is not TypeScript: its decorators and integer types are its own.
      'sample-plugins/soundtime-*/',
      'tests/plugins/soundtime-*/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  lit.configs['flat/recommended'],
  {
    files: ['**/*.{ts,mjs,js}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } } },
    rules: {
      // One direction only (ui -> host -> shared, worker -> shared): a cycle is a layering bug.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Closures that run later may read a binding assigned after them (the playground's wiring).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
);
