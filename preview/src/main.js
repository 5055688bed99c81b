// Page shell of the local Work Order page preview. The component inside is the real one from force-app;
// everything else here stands in for the Lightning record page around it.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Component, { tagName } from 'preview:component';
import FORM_FACTOR from '@salesforce/client/formFactor';
import {
  renderHeader,
  renderPicker,
  renderRelatedList,
  showToast
} from './page';

const POLL_MS = 1000;
const WORKLINK_SCHEME = 'worklink:';

async function getJson(url, init) {
  const response = await fetch(url, init);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}

function currentNumber() {
  const match = window.location.pathname.match(/^\/work-orders\/([^/]+)$/);
  return match ? decodeURIComponent(match[1]) : null;
}

function pollSessions(workOrder) {
  const container = document.getElementById('related-list');
  let last = '';
  const refresh = async () => {
    try {
      const { sessions } = await getJson(
        `/preview-api/work-orders/${workOrder.id}/sessions`
      );
      const snapshot = JSON.stringify(sessions);
      if (snapshot !== last) {
        last = snapshot;
        renderRelatedList(container, sessions);
      }
    } catch (error) {
      renderRelatedList(container, null, error.message);
    } finally {
      window.setTimeout(refresh, POLL_MS);
    }
  };
  refresh();
}

// A desktop browser cannot open the WorkLink app, so the page hands the deeplink to the Scope sandbox's
// simulator instead. The anchor keeps its real href; only the navigation is replaced.
function interceptWorkLinkClicks() {
  document.addEventListener(
    'click',
    (event) => {
      const anchor = event
        .composedPath()
        .find(
          (node) =>
            node instanceof HTMLAnchorElement &&
            node.href.toLowerCase().startsWith(WORKLINK_SCHEME)
        );
      if (!anchor) return;
      event.preventDefault();
      getJson('/preview-api/open', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: anchor.href })
      })
        .then(() =>
          showToast(
            'success',
            'Handed to the WorkLink simulator',
            anchor.textContent.trim()
          )
        )
        .catch((error) =>
          showToast(
            'error',
            'The WorkLink simulator did not take the link',
            error.message
          )
        );
    },
    true
  );
}

async function start() {
  if (FORM_FACTOR === 'Small') document.body.classList.add('preview-phone');
  const { workOrders } = await getJson('/preview-api/work-orders');
  const number = currentNumber();
  const workOrder = workOrders.find((candidate) => candidate.number === number);
  if (!workOrder) {
    if (workOrders.length > 0) {
      window.location.replace(
        `/work-orders/${encodeURIComponent(workOrders[0].number)}${window.location.search}`
      );
    }
    return;
  }
  document.title = `${workOrder.number} | Work Order · WorkLink preview`;
  renderPicker(
    document.getElementById('work-order-picker'),
    workOrders,
    workOrder,
    window.location.search
  );
  renderHeader(document.getElementById('record-header'), workOrder);
  const element = createElement(tagName, { is: Component });
  element.recordId = workOrder.id;
  document.getElementById('component').appendChild(element);
  interceptWorkLinkClicks();
  pollSessions(workOrder);
}

start().catch((error) =>
  showToast('error', 'The preview could not load', error.message)
);
