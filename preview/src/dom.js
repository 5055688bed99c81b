// DOM building blocks of the page shell. Values are always set as text, never as HTML.

export function el(tag, attributes = {}, children = []) {
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

/** An SLDS sprite icon, e.g. icon('standard', 'work_order'). */
export function icon(category, name, extraClass) {
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

export function formatDateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(undefined, {
        dateStyle: 'short',
        timeStyle: 'short'
      }).format(date);
}
