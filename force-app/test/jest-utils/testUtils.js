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

/**
 * The current configuration of every wire of a test adapter (getLastConfig only knows the last
 * one): a filter that selects no instance sees each configuration and emits nothing.
 */
export function wireConfigs(adapter) {
  const configs = [];
  adapter.emit(undefined, (config) => {
    configs.push(config);
    return false;
  });
  return configs;
}

/** The configuration of the wire that loads `recordId`. */
export function wireConfigFor(adapter, recordId) {
  return wireConfigs(adapter).find((config) => config.recordId === recordId);
}
