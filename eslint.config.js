import { createRequire } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';
import lwcGraphAnalyzer from '@salesforce/eslint-plugin-lwc-graph-analyzer';

const require = createRequire(import.meta.url);
const lwcConfig = require('@salesforce/eslint-config-lwc');

const lwcFiles = [
  'force-app/**/lwc/**/*.js',
  // The preview's stand-in components are LWCs too (decorators, templates).
  'preview/src/standins/recordPicker/*.js'
];
const lwcBundleFiles = [
  'force-app/**/lwc/**/*.js',
  'force-app/**/lwc/**/*.html'
];
const lwcTestFiles = ['force-app/**/lwc/**/__tests__/**'];
const tsFiles = [
  'connector/**/*.ts',
  'sandboxes/**/*.ts',
  'demo/**/*.ts',
  'scripts/**/*.ts',
  'test/**/*.ts'
];

// Komaci, the analyser behind Field Service mobile offline priming: what it reports would keep the
// component from being primed, so its findings fail the lint instead of warning.
const { rules: graphAnalyzerRules, ...graphAnalyzerBase } =
  lwcGraphAnalyzer.configs.recommended;

export default [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      '.sf/**',
      '.sfdx/**',
      '.data/**',
      'screenshots/**',
      'test-results/**',
      'dist/**',
      '**/.preview-build/**'
    ]
  },
  // Salesforce side: the LWC recipes rules
  ...lwcConfig.configs.recommended.map((config) => ({
    ...config,
    files: lwcFiles
  })),
  {
    ...graphAnalyzerBase,
    files: lwcBundleFiles,
    ignores: lwcTestFiles,
    plugins: { '@salesforce/lwc-graph-analyzer': lwcGraphAnalyzer },
    rules: Object.fromEntries(
      Object.keys(graphAnalyzerRules).map((rule) => [rule, 'error'])
    )
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' }
  },
  // Connector, sandboxes, scripts and tests: TypeScript
  ...tseslint.configs.recommended.map((config) => ({
    ...config,
    files: tsFiles
  })),
  {
    files: tsFiles,
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  // The sandboxes emulate Scope and Salesforce for any client: they never import the connector.
  {
    files: ['sandboxes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/connector/**', '**/demo/**', '**/test/**'],
              message:
                'sandboxes stand alone: no imports from the connector, the demo or the tests'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['*.js', '*.mjs', '*.cjs', 'scripts/**/*.mjs', 'scripts/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { globals: globals.node, sourceType: 'module' }
  }
];
