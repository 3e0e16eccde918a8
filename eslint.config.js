import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Run inside the browser: the review card, and the browser test's host page.
    files: ['card/**/*.ts', 'test/apps/host-page.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // stdout belongs to the MCP transport: server code never prints.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  // The sandbox is a fake Microsoft Graph: the product talks to it over HTTP only, as it would to Graph, and it
  // shares no code with the product (a shared helper would hide the bugs the sandbox exists to catch).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/sandbox/**', 'src/sandbox-state/**', 'src/runtime.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)sandbox(/|$)', message: 'Product code does not import the sandbox; only the runtime and the CLI start it, through src/sandbox/index.ts.' }] }],
    },
  },
  {
    files: ['src/runtime.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)sandbox/(?!index\\.js$)', message: "Import the sandbox through its public entry (src/sandbox/index.ts), not its internals." }] }],
    },
  },
  {
    files: ['src/sandbox/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'The sandbox imports no product code: it must behave like Graph, not like our client.' }] }],
    },
  },
  {
    files: ['src/sandbox/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./\\.\\./', message: 'The sandbox imports no product code: it must behave like Graph, not like our client.' }] }],
    },
  },
);
