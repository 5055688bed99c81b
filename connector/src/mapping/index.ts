export * from './session-record.ts';
export * from './salesforce-id.ts';
export * from './external-data.ts';
export * from './node-paths.ts';
export * from './work-order-key.ts';
export * from './resolve-link.ts';
export * from './map-scope-node.ts';
