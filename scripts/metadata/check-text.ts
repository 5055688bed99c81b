import type { Problem, XmlFile } from './read-project.ts';
import type {
  XmlNode,
  XmlValue
} from '../../sandboxes/salesforce/metadata/xml.ts';

/** Elements whose text users read in the org; a formatter must never wrap or pad them. */
const USER_TEXT = new Set([
  'value',
  'shortDescription',
  'description',
  'inlineHelpText',
  'label',
  'masterLabel',
  'pluralLabel'
]);

function visit(value: XmlValue, key: string, found: string[]): void {
  if (Array.isArray(value)) value.forEach((v) => visit(v, key, found));
  else if (typeof value === 'object')
    Object.entries(value as XmlNode).forEach(([k, v]) => visit(v, k, found));
  else if (
    typeof value === 'string' &&
    USER_TEXT.has(key) &&
    /\n|\s{2,}/.test(value)
  )
    found.push(key);
}

/** Labels, descriptions and help texts stay single-line text (deployed verbatim). */
export function checkUserText(xml: readonly XmlFile[]): Problem[] {
  return xml.flatMap((file) => {
    const found: string[] = [];
    visit(file.body, file.root, found);
    return [...new Set(found)].map((key) => ({
      file: file.file,
      message: `<${key}> contains a line break or repeated spaces, which the org would store verbatim`
    }));
  });
}
