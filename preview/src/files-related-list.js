// The "Files" related list of the record, as Lightning shows it: a thumbnail per file with its title,
// date, size and extension (bytes from VersionData, through the preview server). Polled like the
// sessions list, since the connector copies photos a moment after the session arrives.
import { el, icon } from './dom';

const POLL_MS = 2000;
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp']);

/** 300000 → "293KB", as Lightning abbreviates file sizes. */
export function formatFileSize(bytes) {
  if (bytes < 1024) return `${bytes}B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
}

function formatDate(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value || ''
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
}

function thumbnail(file) {
  if (!IMAGE_EXTENSIONS.has(String(file.extension).toLowerCase()))
    return icon('doctype', 'unknown', 'slds-icon_large');
  return el('img', {
    class: 'preview-file-thumbnail',
    src: file.thumbnailUrl,
    alt: file.title,
    loading: 'lazy',
    'data-id': 'file-thumbnail'
  });
}

function fileTile(file) {
  const facts = [
    formatDate(file.createdDate),
    formatFileSize(file.size),
    file.extension
  ].filter(Boolean);
  return el(
    'li',
    { class: 'slds-p-vertical_x-small', 'data-file': file.title },
    [
      el('div', { class: 'slds-media slds-media_center' }, [
        el('div', { class: 'slds-media__figure' }, [thumbnail(file)]),
        el('div', { class: 'slds-media__body' }, [
          el(
            'a',
            {
              class: 'slds-truncate',
              href: file.thumbnailUrl,
              target: '_blank',
              title: file.title,
              'data-id': 'file-title'
            },
            [file.title]
          ),
          el('p', { class: 'slds-text-body_small slds-text-color_weak' }, [
            facts.join(' • ')
          ])
        ])
      ])
    ]
  );
}

export function renderFilesList(container, listing, errorMessage) {
  let body;
  if (errorMessage) {
    body = el('p', { class: 'slds-text-color_error', role: 'alert' }, [
      errorMessage
    ]);
  } else if (listing.files.length === 0) {
    body = el('p', { class: 'slds-text-color_weak', 'data-id': 'no-files' }, [
      'No files yet. Photos taken in a WorkLink session are copied here.'
    ]);
  } else {
    body = el(
      'ul',
      { class: 'slds-has-dividers_bottom-space', 'aria-label': 'Files' },
      listing.files.map(fileTile)
    );
  }
  const count = listing ? ` (${listing.total})` : '';
  container.replaceChildren(
    el('article', { class: 'slds-card' }, [
      el('div', { class: 'slds-card__header slds-grid' }, [
        el(
          'header',
          { class: 'slds-media slds-media_center slds-has-flexi-truncate' },
          [
            el('div', { class: 'slds-media__figure' }, [
              icon('standard', 'file', 'slds-icon_small')
            ]),
            el('div', { class: 'slds-media__body' }, [
              el('h2', { class: 'slds-card__header-title' }, [
                el('span', { 'data-id': 'files-title' }, [`Files${count}`])
              ])
            ])
          ]
        )
      ]),
      el('div', { class: 'slds-card__body slds-card__body_inner' }, [body])
    ])
  );
}

/** Polls `/preview-api/<route>/<id>/files` (the files linked to this record). */
export function pollFiles(container, kind, record) {
  if (!container) return;
  let last = '';
  const refresh = async () => {
    try {
      const response = await fetch(
        `/preview-api/${kind.route}/${encodeURIComponent(record.id)}/files`
      );
      const body = await response.json();
      if (!response.ok)
        throw new Error(body.message || `HTTP ${response.status}`);
      const snapshot = JSON.stringify(body);
      if (snapshot !== last) {
        last = snapshot;
        renderFilesList(container, body);
      }
    } catch (error) {
      last = '';
      renderFilesList(container, null, error.message);
    } finally {
      window.setTimeout(refresh, POLL_MS);
    }
  };
  refresh();
}
