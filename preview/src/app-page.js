// Page shell of the WorkLink app's pages in the local preview: the app's navigation bar and one app page
// (Unmatched Inbox or Health) holding the real component from force-app, as Lightning App Builder
// places it, or the AR Impact dashboard (ar-impact-dashboard.js). App Builder properties come from the query string (e.g. Health's `?staleAfterSeconds=30`).
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import WorklinkUnmatchedInbox from 'c/worklinkUnmatchedInbox';
import WorklinkHealth from 'c/worklinkHealth';
import FORM_FACTOR from '@salesforce/client/formFactor';
import { renderArImpact } from './ar-impact-dashboard.js';

const PAGES = {
  '/worklink/inbox': {
    tab: 'inbox',
    title: 'Unmatched Inbox',
    tagName: 'c-worklink-unmatched-inbox',
    is: WorklinkUnmatchedInbox,
    properties: []
  },
  '/worklink/health': {
    tab: 'health',
    title: 'Health',
    tagName: 'c-worklink-health',
    is: WorklinkHealth,
    properties: ['staleAfterSeconds', 'refreshSeconds']
  },
  // Not a component: the Dashboards tab's viewer showing the packaged AR Impact dashboard.
  '/worklink/ar-impact': {
    tab: 'ar-impact',
    title: 'AR Impact',
    render: renderArImpact
  }
};

function start() {
  if (FORM_FACTOR === 'Small') document.body.classList.add('preview-phone');
  const page = PAGES[window.location.pathname];
  if (!page) return;
  document.title = `${page.title} | WorkLink · WorkLink preview`;
  for (const item of document.querySelectorAll('#app-tabs [data-tab]')) {
    const active = item.dataset.tab === page.tab;
    item.classList.toggle('slds-is-active', active);
    const link = item.querySelector('a');
    if (active) link.setAttribute('aria-current', 'page');
    // Keep ?formFactor=… (and the page's own properties) when moving between tabs.
    link.href = `${link.getAttribute('href')}${window.location.search}`;
  }
  if (page.render) {
    page.render(document.getElementById('app-component'));
    return;
  }
  const element = createElement(page.tagName, { is: page.is });
  const params = new URLSearchParams(window.location.search);
  for (const name of page.properties) {
    const value = params.get(name);
    if (value !== null && value !== '') element[name] = Number(value);
  }
  document.getElementById('app-component').appendChild(element);
}

start();
