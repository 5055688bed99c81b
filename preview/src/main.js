// Page shell of the local record page preview. The components inside are the real ones from force-app
// (the WorkLink quick actions' components, per object); everything else stands in for the Lightning
// record page, or at formFactor=Small for Field Service mobile, around them.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import COMPONENTS from 'preview:components';
import FORM_FACTOR from '@salesforce/client/formFactor';
import { renderActionPanel } from './action-panel';
import { pollFiles } from './files-related-list';
import { renderPicker } from './picker';
import { renderHeader } from './record-header';
import { pollSessions } from './related-list';
import { currentRecordPath, findRecord, recordHref } from './routes';
import { showToast } from './toasts';
import { interceptWorkLinkClicks } from './worklink-handoff';

const IS_PHONE = FORM_FACTOR === 'Small';

async function loadKinds() {
  const response = await fetch('/preview-api/records');
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body.kinds.filter((kind) => COMPONENTS[kind.objectApiName]);
}

/** The component of the record's object, as a record-page card or (phone) inside the action panel. */
function mountComponent(kind, record) {
  const { component, tagName, actionLabel } = COMPONENTS[kind.objectApiName];
  const element = createElement(tagName, { is: component });
  element.recordId = record.id;
  const slot = document.getElementById('component');
  const target = IS_PHONE
    ? renderActionPanel(
        slot,
        document.getElementById('action-bar'),
        actionLabel
      )
    : slot;
  target.appendChild(element);
}

async function start() {
  if (IS_PHONE) document.body.classList.add('preview-phone');
  const kinds = await loadKinds();
  const current = findRecord(
    kinds,
    currentRecordPath(window.location.pathname)
  );
  if (!current) {
    const first = kinds.find((kind) => kind.records.length > 0);
    if (first)
      window.location.replace(
        recordHref(first, first.records[0], window.location.search)
      );
    return;
  }
  const { kind, record } = current;
  document.title = `${record.number} | ${kind.label} · WorkLink preview`;
  renderPicker(
    document.getElementById('record-picker'),
    kinds,
    current,
    window.location.search
  );
  renderHeader(document.getElementById('record-header'), kind, record);
  mountComponent(kind, record);
  interceptWorkLinkClicks();
  pollSessions(document.getElementById('related-list'), kind, record);
  pollFiles(document.getElementById('files-related-list'), kind, record);
}

start().catch((error) =>
  showToast('error', 'The preview could not load', error.message)
);
