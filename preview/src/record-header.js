// The record header (slds-page-header_record-home): object, number, subject and a few fields.
import { el, formatDateTime, icon } from './dom';

function headerField({ label, value, type }) {
  const shown = type === 'datetime' ? formatDateTime(value) : value;
  return el('li', { class: 'slds-page-header__detail-block' }, [
    el('div', { class: 'slds-text-title slds-truncate', title: label }, [
      label
    ]),
    el('div', { 'data-field': label }, [shown || '—'])
  ]);
}

function titleBlock(kind, record) {
  return el('div', { class: 'slds-media' }, [
    el('div', { class: 'slds-media__figure' }, [icon('standard', kind.icon)]),
    el('div', { class: 'slds-media__body' }, [
      el('div', { class: 'slds-page-header__name' }, [
        el('div', { class: 'slds-page-header__name-title' }, [
          el('h1', {}, [
            el('span', { 'data-id': 'record-kind' }, [kind.label]),
            el(
              'span',
              {
                class: 'slds-page-header__title slds-truncate',
                'data-id': 'record-number'
              },
              [record.number]
            )
          ])
        ])
      ]),
      el('p', { class: 'slds-page-header__name-meta' }, [record.subject || ''])
    ])
  ]);
}

export function renderHeader(container, kind, record) {
  container.replaceChildren(
    el('div', { class: 'slds-page-header slds-page-header_record-home' }, [
      el('div', { class: 'slds-page-header__row' }, [
        el('div', { class: 'slds-page-header__col-title' }, [
          titleBlock(kind, record)
        ])
      ]),
      el(
        'div',
        { class: 'slds-page-header__row slds-page-header__row_gutters' },
        [
          el('div', { class: 'slds-page-header__col-details' }, [
            el(
              'ul',
              { class: 'slds-page-header__detail-row' },
              record.details.map(headerField)
            )
          ])
        ]
      )
    ])
  );
}
