// The component uses lightning/uiGraphQLApi (v1) on purpose: see worklinkUnmatchedInbox.js.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql } from 'lightning/uiGraphQLApi';
import { updateRecord } from 'lightning/uiRecordApi';
import WorklinkUnmatchedInbox from 'c/worklinkUnmatchedInbox';
import { flushPromises, mount, resetDom } from 'test-utils';

const SESSIONS = require('./data/unmatchedSessions.json');
const NO_SESSIONS = require('./data/noUnmatchedSessions.json');
const WORK_ORDERS = require('./data/openWorkOrders.json');
const ERRORS = require('./data/graphqlErrors.json');

// gql is a jest.fn(): the query text it was called with at import, before afterEach clears mocks.
const QUERIES = gql.mock.calls.map(([strings]) => strings.join(''));

const TAG = 'c-worklink-unmatched-inbox';
const sessionsWire = (config) => config.operationName === 'unmatchedSessions';
const workOrdersWire = (config) => config.operationName === 'openWorkOrders';

const $ = (root, id) => root.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (root, id) => [
  ...root.shadowRoot.querySelectorAll(`[data-id="${id}"]`)
];
const rowOf = (element, sessionId) =>
  element.shadowRoot.querySelector(`li[data-session-id="${sessionId}"]`);
const inRow = (row, id) => row.querySelector(`[data-id="${id}"]`);
const allInRow = (row, id) => [...row.querySelectorAll(`[data-id="${id}"]`)];

async function renderList(sessions = SESSIONS) {
  const element = mount(TAG, WorklinkUnmatchedInbox);
  graphql.emit(sessions, sessionsWire);
  graphql.emit(WORK_ORDERS, workOrdersWire);
  await flushPromises();
  return element;
}

async function click(target) {
  target.dispatchEvent(new CustomEvent('click'));
  await flushPromises();
}

async function pick(picker, recordId) {
  picker.dispatchEvent(new CustomEvent('change', { detail: { recordId } }));
  await flushPromises();
}

describe('c-worklink-unmatched-inbox', () => {
  afterEach(resetDom);

  it('asks for unmatched sessions newest first, and open work orders', () => {
    const sessions = QUERIES.find((q) => q.includes('Scope_AR_Session__c'));
    expect(sessions).toMatch(/Link_Status__c: \{ eq: "Unmatched" \}/);
    expect(sessions).toMatch(/Started_At__c: \{ order: DESC/);
    expect(sessions).toMatch(/External_Work_Order_Ref__c/);
    const workOrders = QUERIES.find((q) => q.includes('WorkOrder('));
    expect(workOrders).toMatch(/IsClosed: \{ eq: false \}/);
  });

  it('shows a spinner while loading', async () => {
    const element = mount(TAG, WorklinkUnmatchedInbox);
    await flushPromises();
    const spinner = element.shadowRoot.querySelector('lightning-spinner');
    expect(spinner.alternativeText).toBe('Loading unmatched sessions');
    expect($(element, 'sessions')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says so when nothing is unmatched', async () => {
    const element = await renderList(NO_SESSIONS);
    expect($(element, 'empty').textContent).toMatch(/No unmatched sessions/);
    expect($(element, 'sessions')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a load error with what Salesforce said', async () => {
    const element = mount(TAG, WorklinkUnmatchedInbox);
    graphql.emitErrors(ERRORS, sessionsWire);
    await flushPromises();
    const error = $(element, 'load-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/could not be loaded/);
    expect(error.textContent).toMatch(/the user has no access/);
    await expect(element).toBeAccessible();
  });

  it('lists each session with its raw key, technician, asset, scenario and time, in query order', async () => {
    const element = await renderList();
    const rows = $$(element, 'session');
    expect(rows.map((r) => r.dataset.sessionId)).toEqual([
      'a015g00000SESS1AAA',
      'a015g00000SESS2AAA',
      'a015g00000SESS3AAA'
    ]);
    const first = rows[0];
    expect(first.querySelector('h3').textContent).toMatch(/0000101/);
    expect(inRow(first, 'technician').textContent).toBe('Dana Reyes');
    expect(inRow(first, 'asset').textContent).toBe('PUMP-100');
    expect(inRow(first, 'scenario').textContent).toBe(
      'Centrifugal Pump P-100 Seal Replacement'
    );
    expect(inRow(first, 'time').textContent).toBe('12/2/2026, 3:20 PM');
    const third = rows[2];
    expect(third.querySelector('h3').textContent).toMatch(
      /\(no work order key\)/
    );
    expect(inRow(third, 'technician').textContent).toBe('unknown');
    expect(inRow(third, 'scenario').textContent).toBe('Call');
    await expect(element).toBeAccessible();
  });

  it('suggests the work order whose number resembles the key, and the one of the same asset open at the time', async () => {
    const element = await renderList();
    const labels = (sessionId) =>
      allInRow(rowOf(element, sessionId), 'suggestion').map((b) => b.label);
    expect(labels('a015g00000SESS1AAA')).toEqual(['Link to 00000101']);
    // 00000109 is HVAC-7 too, but opens a month later.
    expect(labels('a015g00000SESS2AAA')).toEqual(['Link to 00000102']);
    expect(labels('a015g00000SESS3AAA')).toEqual([]);
    expect(
      inRow(rowOf(element, 'a015g00000SESS3AAA'), 'no-suggestion')
    ).not.toBeNull();
  });

  it('links a session in one click and offers undo', async () => {
    const element = await renderList();
    const row = rowOf(element, 'a015g00000SESS1AAA');
    await click(inRow(row, 'suggestion'));
    expect(updateRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledWith({
      fields: {
        Id: 'a015g00000SESS1AAA',
        Work_Order__c: '0WO5g0000000101GAA',
        Link_Status__c: 'Linked manually'
      }
    });
    const linkedRow = rowOf(element, 'a015g00000SESS1AAA');
    expect(inRow(linkedRow, 'linked').textContent).toMatch(
      /Linked to 00000101/
    );
    expect(inRow(linkedRow, 'suggestion')).toBeNull();
    expect(inRow(linkedRow, 'undo')).not.toBeNull();
    expect($(element, 'notice').textContent).toMatch(/Linked to 00000101/);
    await expect(element).toBeAccessible();
  });

  it('keeps a linked session on screen for undo when the query no longer returns it', async () => {
    const element = await renderList();
    await click(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'suggestion'));
    const remaining = JSON.parse(JSON.stringify(SESSIONS));
    remaining.uiapi.query.Scope_AR_Session__c.edges.shift();
    graphql.emit(remaining, sessionsWire);
    await flushPromises();
    expect(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'undo')).not.toBeNull();
  });

  it('undoes a link: back to Unmatched without a work order', async () => {
    const element = await renderList();
    await click(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'suggestion'));
    await click(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'undo'));
    expect(updateRecord).toHaveBeenLastCalledWith({
      fields: {
        Id: 'a015g00000SESS1AAA',
        Work_Order__c: null,
        Link_Status__c: 'Unmatched'
      }
    });
    const row = rowOf(element, 'a015g00000SESS1AAA');
    expect(inRow(row, 'linked')).toBeNull();
    expect(inRow(row, 'suggestion').label).toBe('Link to 00000101');
    expect($(element, 'notice').textContent).toMatch(/Link undone/);
    await expect(element).toBeAccessible();
  });

  it('links to any other work order chosen in the record picker', async () => {
    const element = await renderList();
    const row = rowOf(element, 'a015g00000SESS3AAA');
    const picker = inRow(row, 'picker');
    expect(picker.objectApiName).toBe('WorkOrder');
    expect(picker.label).toBe('Another work order');
    await pick(picker, '0WO5g0000000120GAA');
    await click(inRow(row, 'picked-link'));
    expect(updateRecord).toHaveBeenCalledWith({
      fields: {
        Id: 'a015g00000SESS3AAA',
        Work_Order__c: '0WO5g0000000120GAA',
        Link_Status__c: 'Linked manually'
      }
    });
    expect(
      inRow(rowOf(element, 'a015g00000SESS3AAA'), 'linked').textContent
    ).toMatch(/Linked to 00000120/);
  });

  it('links a selection in bulk to one work order', async () => {
    const element = await renderList();
    const bulk = $(element, 'bulk-link');
    expect(bulk.disabled).toBe(true);
    for (const id of ['a015g00000SESS2AAA', 'a015g00000SESS3AAA']) {
      const box = inRow(rowOf(element, id), 'select');
      box.checked = true;
      box.dispatchEvent(new CustomEvent('change'));
    }
    await flushPromises();
    expect($(element, 'bulk-link').label).toBe('Link selected (2)');
    expect($(element, 'bulk-link').disabled).toBe(true);
    await pick($(element, 'bulk-picker'), '0WO5g0000000102GAA');
    expect($(element, 'bulk-link').disabled).toBe(false);
    await click($(element, 'bulk-link'));
    expect(updateRecord).toHaveBeenCalledTimes(2);
    expect(updateRecord.mock.calls.map(([input]) => input.fields.Id)).toEqual([
      'a015g00000SESS2AAA',
      'a015g00000SESS3AAA'
    ]);
    for (const id of ['a015g00000SESS2AAA', 'a015g00000SESS3AAA'])
      expect(inRow(rowOf(element, id), 'linked').textContent).toMatch(
        /Linked to 00000102/
      );
    expect(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'linked')).toBeNull();
    expect($(element, 'bulk-link').label).toBe('Link selected (0)');
    await expect(element).toBeAccessible();
  });

  it('says so when Salesforce refuses the link, and leaves the session unmatched', async () => {
    updateRecord.mockRejectedValueOnce({
      body: { message: 'insufficient access rights on cross-reference id' }
    });
    const element = await renderList();
    await click(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'suggestion'));
    const error = $(element, 'save-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/not saved\. insufficient access rights/);
    expect(inRow(rowOf(element, 'a015g00000SESS1AAA'), 'linked')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
