import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'test/fixtures/**',
      'openapi/generated/**',
      '**/*.tsbuildinfo',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@customs/*/src/*', '@customs/*/dist/*'],
              message: 'Import a package by its name only.',
            },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
);
