// Lightning-style toasts for what the page shell itself reports (hand-off to the simulator, load errors).
import { el } from './dom';

const TOAST_MS = 4000;

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
  window.setTimeout(() => toast.remove(), TOAST_MS);
}
