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
    // Run inside the browser: the review card, the browser test's host page, and the visible-text referee.
    files: ['card/**/*.ts', 'test/apps/host-page.ts', 'test/visible/referee/judge-in-page.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // stdout belongs to the MCP transport: server code never prints.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
