// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'eslint.config.js',
      'web/vite.config.ts',
      'web/precompress.ts',
      'web/public/**',
      'node_modules/**',
      'dist/**',
      'data/**',
      '.test-data/**',
      'web/dist/**',
      'web/src/api/schema.d.ts',
      'bin/**',
      // A plain-JS loader stub (like bin/): registers tsx in the PGlite worker thread.
      'src/platform/db/pglite-worker.mjs',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read JSON answers (`res.json()` is untyped by design in light-my-request); asserting
    // on them field by field is the point, so the unsafe-any rules only add noise there.
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Architecture boundaries (STYLE.md §4): raw drivers, env and fetch only inside their wrappers.
    files: ['src/**/*.ts'],
    ignores: [
      'src/platform/db/**',
      'src/platform/config/**',
      'src/platform/http/safe-fetch.ts',
      'src/**/*.test.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pg', message: 'Use platform/db.' },
            { name: '@electric-sql/pglite', message: 'Use platform/db.' },
          ],
          patterns: [
            {
              group: ['**/modules/*/*', '!**/modules/*/index.js', '!**/modules/*/index.ts'],
              message: "Use the module's index.ts.",
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through platform/config.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use platform/http/safe-fetch.' },
      ],
    },
  },
  {
    // A module declares itself (ModuleDefinition, wired in by modules/index.ts at start-up); none
    // of its files registers anything when imported, so what a process runs never depends on
    // which files happened to be imported, or in which order.
    files: ['src/modules/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Program > ExpressionStatement CallExpression[callee.name=/^(register|install)[A-Z]/]',
          message: 'Declare it in the module definition; modules/index.ts wires it at start-up.',
        },
        {
          selector:
            'Program > ExpressionStatement CallExpression[callee.property.name=/^(register|install)[A-Z]/]',
          message: 'Declare it in the module definition; modules/index.ts wires it at start-up.',
        },
      ],
    },
  },
  {
    // The web app calls the API through the generated client (`api/http.ts`), so paths, params,
    // bodies and answers are checked by the compiler, and names its cache entries with the
    // factories of `api/keys.ts`, so a change and the lists showing it name the same keys.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/client'],
              importNames: ['api'],
              message: 'Call the API with `http` and `unwrap` from api/http (paths are typed).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Property[key.name=/^(queryKey|mutationKey)$/] > ArrayExpression',
          message: 'Name the key with a factory from api/keys.ts.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(setQueryData|getQueryData|removeQueries)$/] > ArrayExpression.arguments:first-child',
          message: 'Name the key with a factory from api/keys.ts.',
        },
      ],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/modules/**'], message: 'platform/ never imports modules/.' }] },
      ],
    },
  },
);
