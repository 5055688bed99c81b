// DOM rendering of the page chrome around the component: picker, record header, related list, toasts.
// Values are always set as text, never as HTML.

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) {
    if (child === undefined || child === null) continue;
    node.appendChild(
      typeof child === 'string' ? document.createTextNode(child) : child
    );
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function icon(category, name, extraClass) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', `slds-icon ${extraClass || ''}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute(
    'href',
    `/assets/icons/${category}-sprite/svg/symbols.svg#${name}`
  );
  svg.appendChild(use);
  return el(
    'span',
    {
      class: `slds-icon_container slds-icon-${category}-${name.replace(/_/g, '-')}`
    },
    [svg]
  );
}

export function renderPicker(list, workOrders, current, search) {
  list.replaceChildren(
    ...workOrders.map((workOrder) => {
      const active = workOrder.id === current.id;
      const link = el(
        'a',
        {
          class: 'slds-nav-vertical__action',
          href: `/work-orders/${encodeURIComponent(workOrder.number)}${search}`,
          'aria-current': active ? 'page' : undefined,
          'data-work-order': workOrder.number
        },
        [
          el('span', {}, [
            el('span', { class: 'preview-picker__number' }, [workOrder.number]),
            el('span', { class: 'preview-picker__subject' }, [
              ` · ${workOrder.subject || 'Work Order'}`
            ])
          ])
        ]
      );
      return el(
        'li',
        { class: `slds-nav-vertical__item${active ? ' slds-is-active' : ''}` },
        [link]
      );
    })
  );
}

function headerField(label, value) {
  return el('li', { class: 'slds-page-header__detail-block' }, [
    el('div', { class: 'slds-text-title slds-truncate', title: label }, [
      label
    ]),
    el('div', { 'data-field': label }, [value || '—'])
  ]);
}

export function renderHeader(container, workOrder) {
  const asset = workOrder.assetName
    ? `${workOrder.assetName}${workOrder.scopeAssetId ? ` (${workOrder.scopeAssetId})` : ''}`
    : null;
  container.replaceChildren(
    el('div', { class: 'slds-page-header slds-page-header_record-home' }, [
      el('div', { class: 'slds-page-header__row' }, [
        el('div', { class: 'slds-page-header__col-title' }, [
          el('div', { class: 'slds-media' }, [
            el('div', { class: 'slds-media__figure' }, [
              icon('standard', 'work_order')
            ]),
            el('div', { class: 'slds-media__body' }, [
              el('div', { class: 'slds-page-header__name' }, [
                el('div', { class: 'slds-page-header__name-title' }, [
                  el('h1', {}, [
                    el('span', {}, ['Work Order']),
                    el(
                      'span',
                      {
                        class: 'slds-page-header__title slds-truncate',
                        'data-id': 'work-order-number'
                      },
                      [workOrder.number]
                    )
                  ])
                ])
              ]),
              el('p', { class: 'slds-page-header__name-meta' }, [
                workOrder.subject || ''
              ])
            ])
          ])
        ])
      ]),
      el(
        'div',
        { class: 'slds-page-header__row slds-page-header__row_gutters' },
        [
          el('div', { class: 'slds-page-header__col-details' }, [
            el('ul', { class: 'slds-page-header__detail-row' }, [
              headerField('Status', workOrder.status),
              headerField('Asset', asset),
              headerField('Case', workOrder.caseNumber),
              headerField('WorkLink Expert', workOrder.expertName)
            ])
          ])
        ]
      )
    ])
  );
}

function formatDateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(undefined, {
        dateStyle: 'short',
        timeStyle: 'short'
      }).format(date);
}

const COLUMNS = [
  'Session',
  'Kind',
  'Scenario',
  'State',
  'Started',
  'Link Status'
];

function sessionRow(session) {
  const badge = el(
    'span',
    {
      class: `slds-badge${session.linkStatus === 'Matched' ? ' slds-theme_success' : ''}`
    },
    [session.linkStatus || '']
  );
  const cells = [
    session.name,
    session.kind,
    session.kind === 'Call' ? session.expert || '' : session.scenarioName || '',
    session.state,
    formatDateTime(session.startedAt)
  ].map((value, index) =>
    el(
      index === 0 ? 'th' : 'td',
      {
        class: 'slds-cell-wrap',
        scope: index === 0 ? 'row' : undefined,
        'data-label': COLUMNS[index]
      },
      [el('div', {}, [value || ''])]
    )
  );
  cells.push(el('td', { 'data-label': COLUMNS[5] }, [badge]));
  return el(
    'tr',
    {
      class: 'slds-hint-parent',
      'data-session': session.name,
      'data-kind': session.kind
    },
    cells
  );
}

export function renderRelatedList(container, sessions, errorMessage) {
  const count = sessions ? ` (${sessions.length})` : '';
  let body;
  if (errorMessage) {
    body = el('p', { class: 'slds-text-color_error', role: 'alert' }, [
      errorMessage
    ]);
  } else if (sessions.length === 0) {
    body = el(
      'p',
      { class: 'slds-text-color_weak', 'data-id': 'no-sessions' },
      [
        'No sessions yet. Launch WorkLink or call the expert: the session appears here.'
      ]
    );
  } else {
    body = el(
      'table',
      {
        class: 'slds-table slds-table_bordered slds-table_cell-buffer',
        'aria-label': 'Scope AR Sessions'
      },
      [
        el('thead', {}, [
          el(
            'tr',
            { class: 'slds-line-height_reset' },
            COLUMNS.map((column) => el('th', { scope: 'col' }, [column]))
          )
        ]),
        el('tbody', {}, sessions.map(sessionRow))
      ]
    );
  }
  container.replaceChildren(
    el('article', { class: 'slds-card' }, [
      el('div', { class: 'slds-card__header slds-grid' }, [
        el(
          'header',
          { class: 'slds-media slds-media_center slds-has-flexi-truncate' },
          [
            el('div', { class: 'slds-media__figure' }, [
              icon('custom', 'custom21', 'slds-icon_small')
            ]),
            el('div', { class: 'slds-media__body' }, [
              el('h2', { class: 'slds-card__header-title' }, [
                el('span', { 'data-id': 'related-title' }, [
                  `Scope AR Sessions${count}`
                ])
              ])
            ])
          ]
        )
      ]),
      el('div', { class: 'slds-card__body slds-card__body_inner' }, [body])
    ])
  );
}

export function showToast(variant, title, detail) {
  const container = document.getElementById('toasts');
  const toast = el(
    'div',
    {
      class: `slds-notify slds-notify_toast slds-theme_${variant}`,
      role: 'status'
    },
    [
      el('div', { class: 'slds-notify__content' }, [
        el(
          'h2',
          { class: 'slds-text-heading_small', 'data-id': 'toast-title' },
          [title]
        ),
        detail ? el('p', {}, [detail]) : null
      ])
    ]
  );
  container.appendChild(toast);
  window.setTimeout(() => toast.remove(), 4000);
}
