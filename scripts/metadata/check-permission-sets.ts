import { basename } from 'node:path';
import {
  CONNECTOR_READ_FIELDS,
  CONNECTOR_READ_OBJECTS,
  CONNECTOR_WRITTEN_SESSION_FIELDS,
  SESSION_OBJECT
} from './connector-fields.ts';
import type { Problem, XmlFile, XmlNode } from './read-project.ts';
import { nodes, text } from './read-project.ts';
import type { Schema } from './schema.ts';
import { resolveQualified } from './schema.ts';

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
      add(
        `field permission for required field ${name}: a real org rejects it (required fields are always editable)`
      );
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

/** The connector's API user gets exactly what it needs: see connector-fields.ts. */
function checkIntegration(file: XmlFile, schema: Schema): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ file: file.file, message });
  const fls = new Map(
    nodes(file.body, 'fieldPermissions').map((p) => [text(p, 'field'), p])
  );
  for (const name of CONNECTOR_WRITTEN_SESSION_FIELDS) {
    const field = resolveQualified(schema, `${SESSION_OBJECT}.${name}`);
    if (typeof field === 'string') {
      add(`the connector writes ${SESSION_OBJECT}.${name} but ${field}`);
      continue;
    }
    const perm = fls.get(`${SESSION_OBJECT}.${name}`);
    if (!field.required && !(perm && flag(perm, 'editable'))) {
      add(
        `does not grant edit on ${SESSION_OBJECT}.${name}, which the connector writes`
      );
    }
  }
  for (const name of CONNECTOR_READ_FIELDS) {
    const perm = fls.get(name);
    if (!(perm && flag(perm, 'readable')))
      add(`does not grant read on ${name}, which the connector reads`);
  }
  const objects = new Map(
    nodes(file.body, 'objectPermissions').map((p) => [text(p, 'object'), p])
  );
  for (const name of CONNECTOR_READ_OBJECTS) {
    const perm = objects.get(name);
    if (!(perm && flag(perm, 'allowRead')))
      add(`does not grant read on ${name} records`);
  }
  const session = objects.get(SESSION_OBJECT);
  if (
    !session ||
    !['allowCreate', 'allowEdit', 'allowRead'].every((k) => flag(session, k))
  ) {
    add(`must grant create, read and edit on ${SESSION_OBJECT} (upsert)`);
  }
  for (const [name, perm] of objects) {
    const excess = ['allowDelete', 'viewAllRecords', 'modifyAllRecords'].filter(
      (k) => flag(perm, k)
    );
    if (excess.length > 0)
      add(
        `grants more than the connector needs on ${name}: ${excess.join(', ')}`
      );
    if (
      name !== SESSION_OBJECT &&
      (flag(perm, 'allowCreate') || flag(perm, 'allowEdit'))
    ) {
      add(`grants create/edit on ${name}; the connector only reads it`);
    }
  }
  return problems;
}

export function checkPermissionSets(
  xml: readonly XmlFile[],
  schema: Schema,
  tabs: ReadonlySet<string>
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
    problems.push(...checkIntegration(integration, schema));
  }
  return problems;
}
