// The component uses lightning/uiGraphQLApi (v1) on purpose: see worklinkHealth.js.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import WorklinkHealth from 'c/worklinkHealth';
import { flushPromises, mount, resetDom } from 'test-utils';

const HEALTHY = require('./data/healthy.json');
const NO_STATUS = require('./data/noStatus.json');
const STALE = require('./data/stale.json');
const DEAD = require('./data/deadLetters.json');
const MANY_DEAD = require('./data/manyDeadLetters.json');
const API_HIGH = require('./data/apiHigh.json');
const SIGNATURE = require('./data/signatureRising.json');
const SCOPE_FAILING = require('./data/scopeAuthFailing.json');
const TWO = require('./data/twoDeployments.json');
const ERRORS = require('./data/graphqlErrors.json');

const QUERY = gql.mock.calls.map(([strings]) => strings.join(''))[0];
const NOW = Date.parse('2026-12-03T10:00:00Z');
const TAG = 'c-worklink-health';

const $$ = (element, id) => [
  ...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)
];

async function renderWith(data) {
  const element = mount(TAG, WorklinkHealth);
  graphql.emit(data);
  await flushPromises();
  return element;
}

const cards = (element) =>
  $$(element, 'deployment').map((card) => ({
    level: card.dataset.level,
    badge: card.querySelector('[data-id="level"]').textContent,
    findings: [...card.querySelectorAll('[data-id="finding"]')].map((f) => ({
      level: f.dataset.level,
      text: f.textContent
    }))
  }));

describe('c-worklink-health', () => {
  let now;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    now.mockRestore();
    resetDom();
  });

  it('reads every heartbeat record, newest first', () => {
    expect(QUERY).toMatch(/WorkLink_Connector_Status__c\(/);
    expect(QUERY).toMatch(/Last_Heartbeat_At__c: \{ order: DESC/);
  });

  it('shows a spinner while loading', async () => {
    const element = mount(TAG, WorklinkHealth);
    await flushPromises();
    expect(
      element.shadowRoot.querySelector('lightning-spinner').alternativeText
    ).toBe("Loading the connector's heartbeat");
    expect($$(element, 'deployment')).toHaveLength(0);
    await expect(element).toBeAccessible();
  });

  it('shows a load error', async () => {
    const element = mount(TAG, WorklinkHealth);
    graphql.emitErrors(ERRORS);
    await flushPromises();
    const [error] = $$(element, 'load-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/could not be read.*no access/s);
    await expect(element).toBeAccessible();
  });

  it('is green with nothing to do when the heartbeat is fresh and nothing is wrong', async () => {
    const element = await renderWith(HEALTHY);
    const [card] = cards(element);
    expect(card).toEqual({ level: 'green', badge: 'Healthy', findings: [] });
    expect($$(element, 'all-good')).toHaveLength(1);
    expect($$(element, 'deliveries')[0].textContent).toMatch(
      /42 accepted, 0 rejected/
    );
    expect($$(element, 'api')[0].textContent).toMatch(/12000 of 100000/);
    await expect(element).toBeAccessible();
  });

  it('is red when no connector ever reported', async () => {
    const element = await renderWith(NO_STATUS);
    const [card] = cards(element);
    expect(card.level).toBe('red');
    expect(card.badge).toBe('Not working');
    expect(card.findings[0].text).toMatch(/never reported/);
    expect(card.findings[0].text).toMatch(/HEARTBEAT_ENABLED=true/);
    await expect(element).toBeAccessible();
  });

  it('is red after 10 minutes without a heartbeat, and says what to check', async () => {
    const element = await renderWith(STALE);
    const [card] = cards(element);
    expect(card.level).toBe('red');
    expect(card.findings).toHaveLength(1);
    expect(card.findings[0].text).toMatch(/not reported for 13 minutes/);
    expect(card.findings[0].text).toMatch(/connector process runs/);
    await expect(element).toBeAccessible();
  });

  it('turns red by itself when heartbeats stop, without a reload', async () => {
    now.mockRestore();
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
    try {
      const element = mount(TAG, WorklinkHealth);
      graphql.emit(HEALTHY);
      await Promise.resolve();
      expect(cards(element)[0].level).toBe('green');
      // the last heartbeat was 09:58:30: at 10:08:30 it is 10 minutes old, past that the page is red
      jest.advanceTimersByTime(8 * 60 * 1000);
      await Promise.resolve();
      expect(cards(element)[0].level).toBe('green');
      expect(refreshGraphQL).toHaveBeenCalled();
      jest.advanceTimersByTime(3 * 60 * 1000);
      await Promise.resolve();
      expect(cards(element)[0].level).toBe('red');
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes its thresholds from the App Builder properties (staleAfterSeconds, refreshSeconds)', async () => {
    now.mockRestore();
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
    try {
      // the last heartbeat was 09:58:30, 90 s before NOW: fresh under 120 s, stale once 120 s have passed
      const element = mount(TAG, WorklinkHealth, {
        staleAfterSeconds: 120,
        refreshSeconds: 5
      });
      graphql.emit(HEALTHY);
      await Promise.resolve();
      expect(cards(element)[0].level).toBe('green');
      jest.advanceTimersByTime(5 * 1000);
      expect(refreshGraphQL).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(30 * 1000);
      await Promise.resolve();
      expect(cards(element)[0].level).toBe('red');
      // a threshold in seconds gets an age in seconds, not "0 minutes"
      expect(cards(element)[0].findings[0].text).toMatch(
        /not reported for 2 minutes/
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('says an age under a minute in seconds, for thresholds in seconds', async () => {
    now.mockRestore();
    jest.useFakeTimers();
    // 45 s after the last heartbeat (09:58:30), past a 20 s threshold
    jest.setSystemTime(Date.parse('2026-12-03T09:59:15Z'));
    try {
      const element = mount(TAG, WorklinkHealth, { staleAfterSeconds: 20 });
      graphql.emit(HEALTHY);
      await Promise.resolve();
      const [card] = cards(element);
      expect(card.level).toBe('red');
      expect(card.findings[0].text).toMatch(/not reported for 45 seconds/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('warns about a few dead letters and is red about many', async () => {
    let element = await renderWith(DEAD);
    let [card] = cards(element);
    expect(card.level).toBe('warning');
    expect(card.badge).toBe('Needs attention');
    expect(card.findings[0].text).toMatch(/4 sessions could not be written/);
    expect(card.findings[0].text).toMatch(/connector dead-letters replay/);
    await expect(element).toBeAccessible();
    resetDom();
    element = await renderWith(MANY_DEAD);
    [card] = cards(element);
    expect(card.level).toBe('red');
  });

  it('warns above 80 % of the daily API allowance', async () => {
    const element = await renderWith(API_HIGH);
    const [card] = cards(element);
    expect(card.level).toBe('warning');
    expect(card.findings[0].text).toMatch(
      /85 % of the org's daily API allowance is used \(85000 of 100000\)/
    );
    await expect(element).toBeAccessible();
  });

  it('warns when signature failures rise, and names the secret to check', async () => {
    const element = await renderWith(SIGNATURE);
    const [card] = cards(element);
    expect(card.level).toBe('warning');
    expect(card.findings[0].text).toMatch(
      /12 deliveries with a bad signature in the last hour \(1 the hour before\)/
    );
    expect(card.findings[0].text).toMatch(/WEBHOOK_SECRETS/);
    await expect(element).toBeAccessible();
  });

  it('is red when Scope refuses the credentials, worst finding first', async () => {
    const element = await renderWith(SCOPE_FAILING);
    const [card] = cards(element);
    expect(card.level).toBe('red');
    expect(card.findings.map((f) => f.level)).toEqual(['red', 'warning']);
    expect(card.findings[0].text).toMatch(
      /Scope refuses the connector's credentials \(Scope answered HTTP 401 to fetchNodes\)/
    );
    expect(card.findings[1].text).toMatch(
      /37 sessions wait, the oldest for 40 minutes/
    );
    await expect(element).toBeAccessible();
  });

  it('judges each deployment on its own', async () => {
    const element = await renderWith(TWO);
    expect(cards(element).map((c) => c.level)).toEqual(['green', 'red']);
    await expect(element).toBeAccessible();
  });
});
