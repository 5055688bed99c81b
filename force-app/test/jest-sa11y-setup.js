import { registerSa11yMatcher } from '@sa11y/jest';
import { registerCustomLabelMocks } from './jest-mocks/customLabels';

// Adds expect(element).toBeAccessible() (axe-core rules, WCAG 2.x A/AA).
registerSa11yMatcher();
registerCustomLabelMocks();

// axe-core reads `value` and `selected` on every element it walks, which makes LWC warn about our
// custom element's non-public property; that warning is noise, anything else is kept.
const warn = console.warn;
console.warn = (...args) => {
  if (
    /property "(value|selected)" is not publicly accessible/.test(
      String(args[0])
    )
  ) {
    return;
  }
  warn(...args);
};
