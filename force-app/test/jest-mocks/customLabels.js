// Serves @salesforce/label/c.* imports from labels/CustomLabels.labels-meta.xml so that
// tests read the English text a technician sees (the default mock returns "c.Name").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const LABELS_FILE = join(
  __dirname,
  '../../main/default/labels/CustomLabels.labels-meta.xml'
);

export function readCustomLabels() {
  const parsed = new XMLParser({ isArray: (name) => name === 'labels' }).parse(
    readFileSync(LABELS_FILE, 'utf8')
  );
  return Object.fromEntries(
    parsed.CustomLabels.labels.map((label) => [
      label.fullName,
      String(label.value)
    ])
  );
}

export function registerCustomLabelMocks() {
  Object.entries(readCustomLabels()).forEach(([name, mockValue]) => {
    jest.mock(`@salesforce/label/c.${name}`, () => ({ default: mockValue }), {
      virtual: true
    });
  });
}
