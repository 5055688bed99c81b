// The component uses lightning/uiGraphQLApi (v1) on purpose: see worklinkUnmatchedInbox.js.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { graphql } from 'lightning/uiGraphQLApi';
import WorklinkUnmatchedInbox from 'c/worklinkUnmatchedInbox';
import { flushPromises, mount, resetDom } from 'test-utils';

// The Salesforce mobile app reports a phone as "Small".
jest.mock('@salesforce/client/formFactor', () => ({ default: 'Small' }), {
  virtual: true
});

const SESSIONS = require('./data/unmatchedSessions.json');
const WORK_ORDERS = require('./data/openWorkOrders.json');

describe('c-worklink-unmatched-inbox on a phone', () => {
  afterEach(resetDom);

  it('stacks one column with the same one-click links', async () => {
    const element = mount('c-worklink-unmatched-inbox', WorklinkUnmatchedInbox);
    graphql.emit(SESSIONS, (c) => c.operationName === 'unmatchedSessions');
    graphql.emit(WORK_ORDERS, (c) => c.operationName === 'openWorkOrders');
    await flushPromises();
    const inbox = element.shadowRoot.querySelector('[data-id="inbox"]');
    expect(inbox.classList).toContain('inbox_phone');
    expect(
      element.shadowRoot.querySelectorAll('[data-id="suggestion"]').length
    ).toBe(2);
    await expect(element).toBeAccessible();
  });
});
