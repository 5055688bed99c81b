import { basename } from 'node:path';
import {
  CONNECTOR_READ_OBJECTS,
  CONNECTOR_UPDATED_FIELDS,
  CONNECTOR_WRITTEN_FIELDS,
  CONNECTOR_WRITTEN_FILE_FIELDS
} from './connector-fields.ts';
import type { Problem, XmlFile } from './read-project.ts';
import type { XmlNode } from '../../sandboxes/salesforce/metadata/xml.ts';
import { nodes, text } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { Schema } from './schema.ts';
import { resolvePath, resolveQualified } from './schema.ts';
import type { ConnectorQuery } from './connector-soql.ts';

export const INTEGRATION_PERMISSION_SET = 'WorkLink_Integration';

const flag = (node: XmlNode, key: string): boolean =>
  text(node, key) === 'true';

function checkOne(
  file: XmlFile,
  schema: Schema,
  tabs: ReadonlySet<string>
): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ file: file.file, message });
  for (const perm of nodes(file.body, 'fieldPermissions')) {
    const name = text(perm, 'field');
    const field = resolveQualified(schema, name);
    if (typeof field === 'string')
      add(`field permission for ${name}: ${field}`);
    else if (field.required)
      problems.push({
        file: file.file,
        rule: 'fls-required',
        message: `field permission for required field ${name}: a real org rejects it (required fields are always editable)`
      });
    else if (!field.fls)
      add(
        `field permission for ${name}: this standard field has no field-level security`
      );
    if (flag(perm, 'editable') && !flag(perm, 'readable'))
      add(`${name} is editable but not readable`);
  }
  for (const perm of nodes(file.body, 'objectPermissions')) {
    const object = text(perm, 'object');
    if (!schema.has(object))
      add(
        `object permission for ${object}: object does not exist in force-app nor as a known standard object`
      );
    const read = flag(perm, 'allowRead');
    if (
      (flag(perm, 'allowCreate') ||
        flag(perm, 'allowEdit') ||
        flag(perm, 'viewAllRecords')) &&
      !read
    )
      add(`${object}: create, edit and view all need read`);
    if (flag(perm, 'allowDelete') && !flag(perm, 'allowEdit'))
      add(`${object}: delete needs edit`);
    if (
      flag(perm, 'modifyAllRecords') &&
      !(flag(perm, 'allowDelete') && flag(perm, 'viewAllRecords'))
    )
      add(`${object}: modify all needs delete and view all`);
  }
  for (const tab of nodes(file.body, 'tabSettings')) {
    const name = text(tab, 'tab');
    if (!name.startsWith('standard-') && !tabs.has(name))
      add(`tab setting for ${name}: no such tab in force-app`);
  }
  return problems;
}

const isFlsField = (schema: Schema, qualified: string): boolean => {
  const field = resolveQualified(schema, qualified);
  return typeof field !== 'string' && field.fls;
};

/**
 * The connector's API user gets exactly what it needs: edit on every session field it writes, read
 * on every field its SOQL names, View All (read only) on the objects it matches and links to, and
 * nothing else. See connector-fields.ts and connector-soql.ts.
 */
function checkIntegration(
  file: XmlFile,
  schema: Schema,
  queries: readonly ConnectorQuery[]
): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) =>
    problems.push({ file: file.file, rule: 'integration-access', message });
  const fls = new Map(
    nodes(file.body, 'fieldPermissions').map((p) => [text(p, 'field'), p])
  );
  const needed = new Set<string>();
  const written = [
    ...Object.entries(CONNECTOR_WRITTEN_FIELDS),
    ...Object.entries(CONNECTOR_WRITTEN_FILE_FIELDS),
    ...Object.entries(CONNECTOR_UPDATED_FIELDS)
  ].flatMap(([object, fields]) => fields.map((name) => `${object}.${name}`));
  for (const qualified of written) {
    needed.add(qualified);
    const field = resolveQualified(schema, qualified);
    if (typeof field === 'string') {
      add(`the connector writes ${qualified} but ${field}`);
      continue;
    }
    const perm = fls.get(qualified);
    // Required fields and the Name field take no field permission: the org always lets the user write them.
    if (field.fls && !field.required && !(perm && flag(perm, 'editable'))) {
      add(`does not grant edit on ${qualified}, which the connector writes`);
    }
  }
  for (const query of queries) {
    if (!schema.has(query.object)) continue; // PostgreSQL, not Salesforce
    for (const path of query.fields) {
      const field = resolvePath(schema, query.object, path);
      if (typeof field === 'string') {
        add(`${query.file} queries ${query.object}.${path} but ${field}`);
        continue;
      }
      const qualified = `${query.object}.${path}`;
      if (!field.fls || path.includes('.')) continue;
      needed.add(qualified);
      const perm = fls.get(qualified);
      if (!(perm && flag(perm, 'readable')))
        add(`does not grant read on ${qualified}, which ${query.file} queries`);
    }
  }
  for (const name of fls.keys()) {
    if (!needed.has(name) && isFlsField(schema, name))
      add(`grants ${name}, which the connector neither reads nor writes`);
  }
  return [...problems, ...checkIntegrationObjects(file)];
}

/** Object permissions: create/edit where it upserts, edit where it updates, View All read-only elsewhere. */
function checkIntegrationObjects(file: XmlFile): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) =>
    problems.push({ file: file.file, rule: 'integration-access', message });
  const objects = new Map(
    nodes(file.body, 'objectPermissions').map((p) => [text(p, 'object'), p])
  );
  const readOnly: readonly string[] = CONNECTOR_READ_OBJECTS;
  for (const name of readOnly) {
    const perm = objects.get(name);
    if (!(perm && flag(perm, 'allowRead') && flag(perm, 'viewAllRecords')))
      add(
        `must grant read and view all on ${name}: with Private sharing the connector would see no ${name} records`
      );
  }
  const writtenObjects = Object.keys(CONNECTOR_WRITTEN_FIELDS);
  for (const name of writtenObjects) {
    const perm = objects.get(name);
    if (
      !perm ||
      !['allowCreate', 'allowEdit', 'allowRead'].every((k) => flag(perm, k))
    )
      add(`must grant create, read and edit on ${name} (upsert)`);
  }
  const updatedObjects = Object.keys(CONNECTOR_UPDATED_FIELDS);
  for (const name of updatedObjects) {
    const perm = objects.get(name);
    if (!perm || !flag(perm, 'allowEdit'))
      add(`must grant edit on ${name} (the connector updates its rollups)`);
    else if (flag(perm, 'allowCreate'))
      add(`grants create on ${name}; the connector only updates it`);
  }
  for (const [name, perm] of objects) {
    const excess = [
      'allowDelete',
      'modifyAllRecords',
      ...(readOnly.includes(name) ? [] : ['viewAllRecords'])
    ].filter((k) => flag(perm, k));
    if (excess.length > 0)
      add(
        `grants more than the connector needs on ${name}: ${excess.join(', ')}`
      );
    if (
      !writtenObjects.includes(name) &&
      !updatedObjects.includes(name) &&
      (flag(perm, 'allowCreate') || flag(perm, 'allowEdit'))
    ) {
      add(`grants create/edit on ${name}; the connector only reads it`);
    }
    if (!writtenObjects.includes(name) && !readOnly.includes(name))
      add(`grants access to ${name}, which the connector never reads`);
  }
  return problems;
}

export function checkPermissionSets(
  xml: readonly XmlFile[],
  schema: Schema,
  tabs: ReadonlySet<string>,
  queries: readonly ConnectorQuery[]
): Problem[] {
  const sets = xml.filter((f) => f.root === 'PermissionSet');
  const problems = sets.flatMap((file) => checkOne(file, schema, tabs));
  const integration = sets.find(
    (f) =>
      basename(f.file) ===
      `${INTEGRATION_PERMISSION_SET}.permissionset-meta.xml`
  );
  if (!integration) {
    problems.push({
      file: 'force-app/main/default/permissionsets',
      message: `permission set ${INTEGRATION_PERMISSION_SET} is missing`
    });
  } else {
    problems.push(...checkIntegration(integration, schema, queries));
  }
  return problems;
}
