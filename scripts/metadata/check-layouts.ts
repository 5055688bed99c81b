import { basename } from 'node:path';
import type { Problem, XmlFile } from './read-project.ts';
import { nodes, text, texts } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { Schema } from './schema.ts';
import { objectOfPath, resolvePath } from './schema.ts';
import { LIST_VIEW_TOKENS, RELATED_LIST_TOKENS } from './standard-schema.ts';

/** Layout file names are `<Object>-<Layout Name>.layout-meta.xml`. */
function layoutObject(file: string): string {
  return basename(file).split('-')[0] ?? '';
}

function checkLayout(
  file: XmlFile,
  schema: Schema,
  quickActions: ReadonlySet<string>
): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ file: file.file, message });
  const objectName = layoutObject(file.file);
  const object = schema.get(objectName);
  if (!object)
    return [
      { file: file.file, message: `layout for unknown object ${objectName}` }
    ];
  const items = nodes(file.body, 'layoutSections')
    .flatMap((s) => nodes(s, 'layoutColumns'))
    .flatMap((c) => nodes(c, 'layoutItems'))
    .filter((i) => text(i, 'field'));
  const placed = new Map(
    items.map((i) => [text(i, 'field'), text(i, 'behavior')])
  );
  for (const name of placed.keys()) {
    const field = resolvePath(schema, objectName, name);
    if (typeof field === 'string') add(`layout item: ${field}`);
  }
  for (const field of object.fields.values()) {
    if (!field.custom || !field.required) continue;
    const behavior = placed.get(field.name);
    if (behavior === undefined)
      add(`required field ${objectName}.${field.name} is not on the layout`);
    else if (behavior !== 'Required')
      add(
        `required field ${objectName}.${field.name} must have behavior Required, not ${behavior}`
      );
  }
  for (const related of nodes(file.body, 'relatedLists')) {
    const name = text(related, 'relatedList');
    const [child, lookup] = name.split('.');
    if (!child || !lookup) continue; // standard related lists (RelatedNoteList…) are not checked
    const field = resolvePath(schema, child, lookup);
    if (typeof field === 'string') {
      add(`related list ${name}: ${field}`);
      continue;
    }
    if (field.relationship?.to !== objectName)
      add(
        `related list ${name}: ${child}.${lookup} does not look up ${objectName}`
      );
    for (const column of texts(related, 'fields')) {
      if (RELATED_LIST_TOKENS.has(column)) continue;
      const col = resolvePath(schema, child, column);
      if (typeof col === 'string') add(`related list ${name} column: ${col}`);
    }
    const sort = text(related, 'sortField');
    if (sort && typeof resolvePath(schema, child, sort) === 'string')
      add(`related list ${name} sorts by missing field ${sort}`);
  }
  for (const action of nodes(file.body, 'platformActionList').flatMap((l) =>
    nodes(l, 'platformActionListItems')
  )) {
    const name = text(action, 'actionName');
    if (text(action, 'actionType') === 'QuickAction' && !quickActions.has(name))
      add(`action ${name}: no such quick action in force-app`);
  }
  return problems;
}

function checkColumns(
  file: XmlFile,
  schema: Schema,
  objectName: string,
  columns: string[],
  tokens: ReadonlySet<string>,
  what: string
): Problem[] {
  return columns
    .filter((c) => !tokens.has(c))
    .map((c) => resolvePath(schema, objectName, c))
    .filter((r): r is string => typeof r === 'string')
    .map((message) => ({ file: file.file, message: `${what}: ${message}` }));
}

/** Layouts, compact layouts and list views name only fields that exist; required fields are placed. */
export function checkLayouts(
  xml: readonly XmlFile[],
  schema: Schema,
  quickActions: ReadonlySet<string>
): Problem[] {
  const problems: Problem[] = [];
  for (const file of xml) {
    const objectName = objectOfPath(file.file) ?? '';
    if (file.root === 'Layout')
      problems.push(...checkLayout(file, schema, quickActions));
    if (file.root === 'CompactLayout') {
      problems.push(
        ...checkColumns(
          file,
          schema,
          objectName,
          texts(file.body, 'fields'),
          new Set(),
          'compact layout field'
        )
      );
    }
    if (file.root === 'ListView') {
      problems.push(
        ...checkColumns(
          file,
          schema,
          objectName,
          texts(file.body, 'columns'),
          LIST_VIEW_TOKENS,
          'list view column'
        )
      );
      const filters = nodes(file.body, 'filters').map((f) => text(f, 'field'));
      problems.push(
        ...checkColumns(
          file,
          schema,
          objectName,
          filters,
          LIST_VIEW_TOKENS,
          'list view filter'
        )
      );
    }
  }
  for (const object of schema.values()) {
    if (
      object.compactLayoutAssignment &&
      object.compactLayoutAssignment !== 'SYSTEM' &&
      !object.compactLayouts.has(object.compactLayoutAssignment)
    ) {
      problems.push({
        file: object.file ?? object.name,
        message: `compactLayoutAssignment ${object.compactLayoutAssignment}: no such compact layout in force-app`
      });
    }
  }
  return problems;
}
