// Lint: eslint's and typescript-eslint's recommended rules over our sources (bundles and fixtures excluded).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '.cache/**', 'build/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**/*.js', 'test/fixtures/scan/go/src/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // scan/, vuln/ and report/ are entered through their index.ts door; image/, platform/ and the rest have none.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(scan|vuln|report|verify)/(?!index\\.js$)', message: 'import another folder through its door (<folder>/index.js)' }] },
      ],
    },
  },
);
