// The connector's mapping keeps hand copies of the Scope_AR_Session__c field sizes (it truncates text
// and refuses out-of-range numbers before Salesforce would reject the whole record). This test reads
// the package's field metadata with the shared force-app reader and holds the copies to it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  MAX_DURATION_SECONDS,
  MAX_STEPS,
  SESSION_OBJECT,
  TEXT_FIELD_LENGTHS
} from '../../connector/src/mapping/session-record.ts';
import {
  readMetadataXml,
  text
} from '../../sandboxes/salesforce/metadata/xml.ts';

const FIELDS_DIR = join(
  import.meta.dirname,
  '../../force-app/main/default/objects',
  SESSION_OBJECT,
  'fields'
);

function fieldMetadata(name: string) {
  const node = readMetadataXml(
    join(FIELDS_DIR, `${name}.field-meta.xml`),
    'CustomField'
  );
  return {
    type: text(node, 'type'),
    length: Number(text(node, 'length')),
    precision: Number(text(node, 'precision')),
    scale: Number(text(node, 'scale'))
  };
}

/** The largest value a Number(precision, scale) field stores: 12 integer digits for (14,2). */
const largestNumber = (precision: number, scale: number): number =>
  Number(
    `${'9'.repeat(precision - scale)}${scale ? `.${'9'.repeat(scale)}` : ''}`
  );

test('every text length the mapping truncates to is the field length in force-app', () => {
  for (const [field, length] of Object.entries(TEXT_FIELD_LENGTHS)) {
    const metadata = fieldMetadata(field);
    assert.ok(
      ['Text', 'LongTextArea'].includes(metadata.type),
      `${field} is ${metadata.type}`
    );
    assert.equal(length, metadata.length, field);
  }
});

test('the duration and step limits are the largest values their Number fields hold', () => {
  for (const field of ['Duration_Seconds__c', 'Idle_Duration_Seconds__c']) {
    const { type, precision, scale } = fieldMetadata(field);
    assert.equal(type, 'Number', field);
    assert.equal(MAX_DURATION_SECONDS, largestNumber(precision, scale), field);
  }
  for (const field of ['Steps_Possible__c', 'Steps_Viewed__c']) {
    const { type, precision, scale } = fieldMetadata(field);
    assert.equal(type, 'Number', field);
    assert.equal(MAX_STEPS, largestNumber(precision, scale), field);
  }
});
