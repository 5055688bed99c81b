// LWC unit tests (npm run test:lwc), after trailheadapps/lwc-recipes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
  ...jestConfig,
  moduleNameMapper: {
    '^test-utils$': '<rootDir>/force-app/test/jest-utils/testUtils.js'
  },
  setupFilesAfterEnv: [
    ...(jestConfig.setupFilesAfterEnv || []),
    '<rootDir>/force-app/test/jest-sa11y-setup.js'
  ],
  // Connector and metadata tests run with node:test, not jest.
  testPathIgnorePatterns: [
    ...jestConfig.testPathIgnorePatterns,
    '<rootDir>/test/',
    '<rootDir>/connector/',
    '<rootDir>/scripts/'
  ],
  testTimeout: 10000
};
