// A desktop browser cannot open the WorkLink app, so the page hands the deeplink to the Scope sandbox's
// simulator instead. The anchor keeps its real href; only the navigation is replaced.
import { showToast } from './toasts';

const WORKLINK_SCHEME = 'worklink:';

async function handOff(url) {
  const response = await fetch('/preview-api/open', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url })
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}

export function interceptWorkLinkClicks() {
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
      handOff(anchor.href)
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
