// The preview's Scope AR Session record page, `/scope-ar-sessions/<Id>`: the session's fields and its
// "Steps" related list (Scope_AR_Session_Step__c, the layout's related list, by Step_Order__c), read with
// SOQL as the preview's viewer and rendered on the server with SLDS classes. The Work Order page's
// "Scope AR Sessions" rows link here.
import { Router } from 'express';
import type { Response } from 'express';
import type { SalesforceReader, SoqlRecord } from './salesforce-reader.ts';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const SESSION_FIELDS = [
  ['Name', 'Session Number'],
  ['Kind__c', 'Kind'],
  ['Scenario_Name__c', 'Scenario'],
  ['Technician__c', 'Technician'],
  ['State__c', 'State'],
  ['Started_At__c', 'Started'],
  ['Ended_At__c', 'Ended'],
  ['Steps_Viewed__c', 'Steps Viewed'],
  ['Steps_Possible__c', 'Steps Possible']
] as const;

const STEP_COLUMNS = [
  ['Step_Order__c', 'Order'],
  ['Step_Name__c', 'Step'],
  ['Sequence_Name__c', 'Sequence'],
  ['Viewed_At__c', 'Viewed'],
  ['Completed_At__c', 'Completed'],
  ['Photos__c', 'Photos']
] as const;

const DATE_TIME_FIELDS = new Set([
  'Started_At__c',
  'Ended_At__c',
  'Viewed_At__c',
  'Completed_At__c'
]);

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ] as string
  );
}

function display(row: SoqlRecord, field: string): string {
  const value = row[field];
  if (value === null || value === undefined) return '';
  if (DATE_TIME_FIELDS.has(field)) {
    const time = Date.parse(String(value));
    if (!Number.isNaN(time))
      return new Date(time).toISOString().replace('T', ' ').slice(0, 19);
  }
  return String(value);
}

function stepsTable(steps: readonly SoqlRecord[]): string {
  if (steps.length === 0)
    return '<p class="slds-text-color_weak" data-id="no-steps">No steps yet: they appear once the technician views one.</p>';
  const head = STEP_COLUMNS.map(
    ([, label]) => `<th scope="col">${label}</th>`
  ).join('');
  const rows = steps
    .map(
      (step) =>
        `<tr class="slds-hint-parent" data-step="${escapeHtml(display(step, 'Step_Order__c'))}">${STEP_COLUMNS.map(
          ([field, label]) =>
            `<td data-label="${label}">${escapeHtml(display(step, field))}</td>`
        ).join('')}</tr>`
    )
    .join('');
  return `<table class="slds-table slds-table_bordered slds-table_cell-buffer" aria-label="Steps"><thead><tr class="slds-line-height_reset">${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** The whole page of one session and its steps. */
export function renderSessionPage(
  session: SoqlRecord,
  steps: readonly SoqlRecord[]
): string {
  const name = escapeHtml(display(session, 'Name'));
  const fields = SESSION_FIELDS.map(
    ([field, label]) =>
      `<div class="slds-col slds-size_1-of-3 slds-p-bottom_small"><dt class="slds-text-title">${label}</dt><dd data-field="${field}">${escapeHtml(display(session, field))}</dd></div>`
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${name} | Scope AR Session (local preview)</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css" />
<link rel="stylesheet" href="/preview.css" /></head>
<body class="slds-p-around_medium">
<div class="slds-page-header slds-m-bottom_medium"><p class="slds-text-title_caps">Scope AR Session</p>
<h1 class="slds-page-header__title">${name}</h1></div>
<article class="slds-card slds-m-bottom_medium"><div class="slds-card__body slds-card__body_inner">
<dl class="slds-grid slds-wrap">${fields}</dl></div></article>
<article class="slds-card" data-id="steps"><div class="slds-card__header"><h2 class="slds-card__header-title">Steps (${steps.length})</h2></div>
<div class="slds-card__body">${stepsTable(steps)}</div></article>
</body></html>`;
}

function notFound(res: Response, message: string): void {
  res.status(404).type('text/plain').send(message);
}

/** `GET /scope-ar-sessions/:id`: 400 on a malformed Id, 404 when the viewer sees no such session. */
export function createSessionPageRoutes(salesforce: SalesforceReader): Router {
  const router = Router();
  router.get('/scope-ar-sessions/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!RECORD_ID.test(id)) {
      res.status(400).type('text/plain').send(`Invalid record id: ${id}`);
      return;
    }
    const [session] = await salesforce.query(
      `SELECT Id, ${SESSION_FIELDS.map(([f]) => f).join(', ')} FROM Scope_AR_Session__c WHERE Id = '${id}'`
    );
    if (!session) return notFound(res, `No Scope AR Session ${id}`);
    const steps = await salesforce.query(
      `SELECT Id, ${STEP_COLUMNS.map(([f]) => f).join(', ')} FROM Scope_AR_Session_Step__c WHERE Scope_AR_Session__c = '${id}' ORDER BY Step_Order__c ASC`
    );
    res.type('html').send(renderSessionPage(session, steps));
  });
  return router;
}
