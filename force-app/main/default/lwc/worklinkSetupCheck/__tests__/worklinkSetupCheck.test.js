// The component uses lightning/uiGraphQLApi (v1) on purpose: see worklinkSetupCheck.js.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql } from 'lightning/uiGraphQLApi';
import { getRelatedListsInfo } from 'lightning/uiRelatedListApi';
import WorklinkSetupCheck from 'c/worklinkSetupCheck';
import { flushPromises, mount, resetDom, wireConfigs } from 'test-utils';

const STATUS_OK = require('./data/statusOk.json');
const STATUS_PROBLEMS = require('./data/statusProblems.json');
const STATUS_UNCHECKED = require('./data/statusUnchecked.json');
const STATUS_NONE = require('./data/statusNone.json');
const WITH_SESSIONS = require('./data/relatedListsWithSessions.json');
const WITHOUT = require('./data/relatedListsWithout.json');
const LAYOUT_ERROR = require('./data/relatedListsError.json');

const QUERY = gql.mock.calls.map(([strings]) => strings.join(''))[0];
const TAG = 'c-worklink-setup-check';

const checks = (element) =>
  [...element.shadowRoot.querySelectorAll('[data-id="check"]')].map((li) => ({
    key: li.dataset.key,
    level: li.dataset.level,
    badge: li.querySelector('[data-id="level"]').textContent,
    title: li.querySelector('[data-id="title"]').textContent,
    action: li.querySelector('[data-id="action"]')?.textContent ?? null
  }));
const byKey = (element, key) =>
  checks(element).find((check) => check.key.endsWith(key));

/** Layout answers per parent object: data, or `{ error }` for an error response. */
async function render(status, layouts = {}) {
  const element = mount(TAG, WorklinkSetupCheck);
  graphql.emit(status);
  for (const [objectApiName, layout] of Object.entries(layouts)) {
    const only = (config) => config.parentObjectApiName === objectApiName;
    if (layout.error) getRelatedListsInfo.emitError(layout.error, only);
    else getRelatedListsInfo.emit(layout, only);
  }
  await flushPromises();
  return element;
}

describe('c-worklink-setup-check', () => {
  afterEach(resetDom);

  it('reads the setup fields of every heartbeat, and the layouts of the four parents with literal names', () => {
    expect(QUERY).toMatch(/WorkLink_Connector_Status__c\(/);
    expect(QUERY).toMatch(/Setup_Checked_At__c/);
    expect(QUERY).toMatch(/Setup_Problems__c/);
    mount(TAG, WorklinkSetupCheck);
    expect(
      wireConfigs(getRelatedListsInfo)
        .map((c) => c.parentObjectApiName)
        .sort()
    ).toEqual(['Case', 'ServiceAppointment', 'WorkOrder', 'WorkOrderLineItem']);
  });

  it('shows a spinner while the heartbeat loads', async () => {
    const element = mount(TAG, WorklinkSetupCheck);
    await flushPromises();
    expect(
      element.shadowRoot.querySelector('lightning-spinner').alternativeText
    ).toBe('Checking the setup');
    await expect(element).toBeAccessible();
  });

  it('shows a load error', async () => {
    const element = mount(TAG, WorklinkSetupCheck);
    graphql.emitErrors([
      { message: 'No access to WorkLink_Connector_Status__c' }
    ]);
    await flushPromises();
    const error = element.shadowRoot.querySelector('[data-id="load-error"]');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/No access/);
    await expect(element).toBeAccessible();
  });

  it('is all OK when the connector can write everything, signs in, and the layout shows the list', async () => {
    const element = await render(STATUS_OK, { WorkOrder: WITH_SESSIONS });
    expect(byKey(element, '-access')).toMatchObject({
      level: 'ok',
      badge: 'OK',
      action: null
    });
    expect(byKey(element, '-access').title).toMatch(
      /acme-prod: the integration user can write every field .*checked 2026-12-03T09:00:00.000Z/
    );
    expect(byKey(element, '-app')).toMatchObject({ level: 'ok' });
    expect(byKey(element, 'layout-WorkOrder')).toMatchObject({
      level: 'ok',
      title:
        'The Work Order page layout you see shows the Scope AR Sessions related list.'
    });
    expect(byKey(element, 'manual')).toMatchObject({
      level: 'manual',
      badge: 'By hand'
    });
    await expect(element).toBeAccessible();
  });

  it('names the fields the integration user cannot write and the refused sign-in, with what to do', async () => {
    const element = await render(STATUS_PROBLEMS);
    const access = byKey(element, '-access');
    expect(access.level).toBe('problem');
    expect(access.badge).toBe('Problem');
    expect(access.title).toBe(
      'acme-prod: the integration user cannot write Scope_AR_Session__c.Service_Appointment__c: missing, Scope_AR_Session__c.Case__c: not-updateable.'
    );
    expect(access.action).toMatch(/WorkLink_Integration permission set/);
    const app = byKey(element, '-app');
    expect(app.level).toBe('problem');
    expect(app.title).toMatch(/\(Salesforce answered HTTP 400 to token\)/);
    expect(app.action).toMatch(/SF_JWT_AUDIENCE/);
    await expect(element).toBeAccessible();
  });

  it('asks to wait when the connector has not checked or signed in yet', async () => {
    const element = await render(STATUS_UNCHECKED);
    expect(byKey(element, '-access')).toMatchObject({ level: 'check' });
    expect(byKey(element, '-access').title).toMatch(/^acme-staging: /);
    expect(byKey(element, '-app')).toMatchObject({ level: 'check' });
    await expect(element).toBeAccessible();
  });

  it('is a problem when no connector reported, and says how to start one', async () => {
    const element = await render(STATUS_NONE);
    const [first] = checks(element);
    expect(first).toMatchObject({ key: 'no-connector', level: 'problem' });
    expect(first.action).toMatch(/HEARTBEAT_ENABLED=true/);
    await expect(element).toBeAccessible();
  });

  it('asks to add the related list where the layout lacks it, and reports a layout it cannot read', async () => {
    const element = await render(STATUS_OK, {
      WorkOrder: WITHOUT,
      ServiceAppointment: { error: LAYOUT_ERROR }
    });
    const workOrder = byKey(element, 'layout-WorkOrder');
    expect(workOrder.level).toBe('check');
    expect(workOrder.title).toBe(
      'The Work Order page layout you see has no Scope AR Sessions related list.'
    );
    expect(workOrder.action).toMatch(/Work Order \(WorkLink\) Layout/);
    const appointment = byKey(element, 'layout-ServiceAppointment');
    expect(appointment.level).toBe('check');
    expect(appointment.title).toMatch(
      /Service Appointment page layout could not be read \(Object ServiceAppointment is not supported in UI API\)/
    );
    expect(byKey(element, 'layout-Case')).toBeUndefined();
    await expect(element).toBeAccessible();
  });
});
