// The "Scope AR Sessions" related list of the record: polled every second, redrawn only on change.
import { el, formatDateTime, icon } from './dom';

const POLL_MS = 1000;

const COLUMNS = [
  'Session',
  'Kind',
  'Scenario',
  'State',
  'Started',
  'Link Status'
];

/** The session's own page (demo/session-page.ts) with its Steps related list. */
function sessionLink(session) {
  return session.id
    ? el('a', { href: `/scope-ar-sessions/${session.id}` }, [
        session.name || ''
      ])
    : session.name || '';
}

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
      [el('div', {}, [index === 0 ? sessionLink(session) : value || ''])]
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

/** Polls `/preview-api/<route>/<id>/sessions` (the sessions whose lookup names this record). */
export function pollSessions(container, kind, record) {
  let last = '';
  const refresh = async () => {
    try {
      const response = await fetch(
        `/preview-api/${kind.route}/${encodeURIComponent(record.id)}/sessions`
      );
      const body = await response.json();
      if (!response.ok)
        throw new Error(body.message || `HTTP ${response.status}`);
      const snapshot = JSON.stringify(body.sessions);
      if (snapshot !== last) {
        last = snapshot;
        renderRelatedList(container, body.sessions);
      }
    } catch (error) {
      last = '';
      renderRelatedList(container, null, error.message);
    } finally {
      window.setTimeout(refresh, POLL_MS);
    }
  };
  refresh();
}
