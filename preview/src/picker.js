// The record picker: one section per record kind, so that one moves between Work Orders, their
// Line Items, Service Appointments and Cases.
import { el } from './dom';
import { recordHref } from './routes';

function pickerItem(kind, record, current, search) {
  const active = current.record.id === record.id;
  const link = el(
    'a',
    {
      class: 'slds-nav-vertical__action',
      href: recordHref(kind, record, search),
      'aria-current': active ? 'page' : undefined,
      'data-kind': kind.objectApiName,
      'data-record': record.number
    },
    [
      el('span', {}, [
        el('span', { class: 'preview-picker__number' }, [record.number]),
        el('span', { class: 'preview-picker__subject' }, [
          ` · ${record.subject || kind.label}`
        ])
      ])
    ]
  );
  return el(
    'li',
    { class: `slds-nav-vertical__item${active ? ' slds-is-active' : ''}` },
    [link]
  );
}

export function renderPicker(container, kinds, current, search) {
  container.replaceChildren(
    ...kinds
      .filter((kind) => kind.records.length > 0)
      .map((kind) => {
        const titleId = `picker-${kind.route}`;
        return el('div', { class: 'slds-nav-vertical__section' }, [
          el('h2', { class: 'slds-nav-vertical__title', id: titleId }, [
            kind.labelPlural
          ]),
          el(
            'ul',
            { 'aria-labelledby': titleId },
            kind.records.map((record) =>
              pickerItem(kind, record, current, search)
            )
          )
        ]);
      })
  );
}
