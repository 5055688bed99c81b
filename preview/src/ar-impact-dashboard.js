// The AR Impact dashboard in the local preview: a stand-in for Salesforce's dashboard viewer (the
// Dashboards tab of the WorkLink app opens the packaged dashboard there). It reads the dashboard's
// components and runs each component's report through the Analytics REST API of the Salesforce
// sandbox as the viewer, with the saved filters, and draws each as a card with an SVG chart.
import { el } from './dom.js';
import { columnChart } from './column-chart.js';

// Averages of these 0/1 outcome fields are rates: shown as a percentage.
const RATE_FIELDS = ['WorkLink_First_Time_Fix__c', 'WorkLink_Repeat_Visit__c'];

async function api(path, body) {
  const response = await fetch(`/preview-api/analytics${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const answer = await response.json();
  if (!response.ok)
    throw new Error(answer?.message ?? `HTTP ${response.status}`);
  return answer;
}

/** The measure a component shows: the first aggregate, or the record count when that is a sum. */
function measureOf(report) {
  const [first] = report.reportMetadata.aggregates;
  const index =
    first && !first.startsWith('s!') && first !== 'RowCount'
      ? 0
      : report.reportMetadata.aggregates.indexOf('RowCount');
  const token = report.reportMetadata.aggregates[index];
  const rate = RATE_FIELDS.some((f) => token.endsWith(`$${f}`));
  return { index, token, rate };
}

function barsOf(report) {
  const measure = measureOf(report);
  const countIndex = report.reportMetadata.aggregates.indexOf('RowCount');
  return report.groupingsDown.groupings.map((g) => {
    const aggregates = report.factMap[`${g.key}!T`]?.aggregates ?? [];
    const value = aggregates[measure.index]?.value ?? null;
    const text =
      value === null
        ? '–'
        : measure.rate
          ? `${(value * 100).toFixed(1)} %`
          : measure.token === 'RowCount'
            ? String(value)
            : value.toFixed(2);
    return {
      label: g.label,
      value,
      count: aggregates[countIndex]?.value ?? 0,
      text
    };
  });
}

function card(component, report) {
  const measure = measureOf(report);
  const unit = measure.rate
    ? 'rate'
    : measure.token === 'RowCount'
      ? 'records'
      : report.reportExtendedMetadata.aggregateColumnInfo[measure.token]?.label;
  return el(
    'article',
    {
      class: 'slds-card preview-dashboard__card',
      'data-report': report.reportMetadata.developerName
    },
    [
      el('div', { class: 'slds-card__header slds-grid' }, [
        el(
          'header',
          { class: 'slds-media slds-media_center slds-has-flexi-truncate' },
          [
            el(
              'h2',
              {
                class: 'slds-card__header-title',
                title: component.header
              },
              component.header
            )
          ]
        )
      ]),
      el('div', { class: 'slds-card__body slds-card__body_inner' }, [
        el('p', { class: 'slds-text-body_small slds-text-color_weak' }, unit),
        columnChart(barsOf(report), {
          horizontal: component.properties.visualizationType === 'Bar',
          title: component.header
        })
      ]),
      el('footer', { class: 'slds-card__footer slds-text-body_small' }, [
        component.footer,
        ' · ',
        el('span', {}, report.reportMetadata.name)
      ])
    ]
  );
}

export async function renderArImpact(container) {
  const status = el(
    'p',
    { class: 'slds-text-body_regular', 'data-id': 'status' },
    'Running the dashboard’s reports…'
  );
  container.append(status);
  try {
    const dashboards = await api('/dashboards');
    const found = dashboards.find((d) => d.name === 'AR Impact');
    if (!found) throw new Error('The AR Impact dashboard is not in this org');
    const dashboard = await api(`/dashboards/${found.id}/describe`);
    const reports = await Promise.all(
      dashboard.components.map((c) => api(`/reports/${c.reportId}`, {}))
    );
    const grid = el('div', {
      class: 'slds-grid slds-wrap slds-gutters_small preview-dashboard',
      'data-id': 'dashboard'
    });
    dashboard.components.forEach((component, i) => {
      const layout = dashboard.layout.components[i];
      grid.append(
        el(
          'div',
          {
            class: `slds-col slds-size_1-of-1 slds-medium-size_${layout.colspan}-of-12 slds-p-bottom_small`
          },
          [card(component, reports[i])]
        )
      );
    });
    container.append(
      el('div', { class: 'slds-page-header slds-m-bottom_small' }, [
        el('h1', { class: 'slds-page-header__title' }, dashboard.name),
        el('p', { class: 'slds-text-body_small' }, dashboard.description),
        el(
          'p',
          { class: 'slds-text-body_small slds-text-color_weak' },
          `Viewing as the logged-in user · as of ${new Date().toLocaleString()}`
        )
      ]),
      grid
    );
    status.remove();
  } catch (error) {
    status.textContent = `The dashboard could not run: ${error.message}`;
    status.classList.add('slds-text-color_error');
  }
}
