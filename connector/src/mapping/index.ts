// The mapping module: pure functions from a Scope node and externalData to Scope_AR_Session__c fields and links.
export * from './session-record.ts';
export * from './salesforce-id.ts';
export * from './external-data.ts';
export * from './node-paths.ts';
export * from './work-order-key.ts';
export * from './resolve-link.ts';
export * from './map-scope-node.ts';
