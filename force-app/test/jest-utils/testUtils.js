import { createElement } from 'lwc';

/** Lets pending wire emissions and re-renders settle. */
export function flushPromises() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Creates a component, sets its public properties and appends it to the document. */
export function mount(tagName, Component, props = {}) {
  const element = createElement(tagName, { is: Component });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

/** Removes every mounted component and resets jest mocks; use in afterEach. */
export function resetDom() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
}
