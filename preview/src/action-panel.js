// The Field Service mobile frame: there, record-page components do not render, LWCs run only as quick
// actions. At formFactor=Small the component is shown as the quick action opens it: in a full-width
// action panel headed by the action's label, over the record; closing it shows the record's action bar.
import { el, icon } from './dom';

function closeButton(onClose) {
  const button = el(
    'button',
    {
      class: 'slds-button slds-button_icon slds-button_icon-inverse',
      title: 'Close',
      'data-id': 'close-action'
    },
    [
      icon('utility', 'close', 'slds-button__icon'),
      el('span', { class: 'slds-assistive-text' }, ['Close'])
    ]
  );
  button.addEventListener('click', onClose);
  return button;
}

/**
 * Puts the action panel into `container` and returns the element the component goes in. `actionBar`
 * gets the button that opens the action again (as the record's action bar in the app has it).
 */
export function renderActionPanel(container, actionBar, actionLabel) {
  const body = el('div', { class: 'preview-action-panel__body' });
  const panel = el(
    'section',
    {
      class: 'preview-action-panel',
      role: 'dialog',
      'aria-labelledby': 'action-panel-title',
      'data-id': 'action-panel'
    },
    [
      el('header', { class: 'preview-action-panel__header' }, [
        el(
          'h2',
          { class: 'slds-text-heading_small', id: 'action-panel-title' },
          [actionLabel]
        ),
        closeButton(() => {
          panel.hidden = true;
          open.hidden = false;
        })
      ]),
      body
    ]
  );
  const open = el(
    'button',
    {
      class: 'slds-button slds-button_neutral slds-button_stretch',
      'data-id': 'open-action',
      hidden: ''
    },
    [actionLabel]
  );
  open.addEventListener('click', () => {
    panel.hidden = false;
    open.hidden = true;
  });
  actionBar.replaceChildren(open);
  container.replaceChildren(panel);
  return body;
}
