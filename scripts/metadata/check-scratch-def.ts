import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem, XmlFile } from './read-project.ts';
import type { XmlNode } from '../../sandboxes/salesforce/metadata/xml.ts';
import { describeType, elementType } from './type-schema.ts';

export const SCRATCH_DEF = 'config/project-scratch-def.json';

/** fieldServiceSettings → FieldServiceSettings (scratch definitions write settings in lower camel case). */
const typeOfSetting = (key: string): string =>
  key.charAt(0).toUpperCase() + key.slice(1);

const usesWorkOrders = (xml: readonly XmlFile[]): boolean =>
  xml.some(
    (f) =>
      /[\\/]objects[\\/]WorkOrder[\\/]/.test(f.file) ||
      /WorkOrder/.test(String(f.body.sobjectType ?? '')) ||
      JSON.stringify(f.body).includes('"WorkOrder"')
  );

/**
 * The scratch definition turns on what the package needs (Work Orders and Field Service when it
 * ships WorkOrder metadata), and each of its settings is an element of the settings type it names.
 */
export function checkScratchDefinition(
  projectRoot: string,
  xml: readonly XmlFile[]
): Problem[] {
  const path = join(projectRoot, SCRATCH_DEF);
  const problems: Problem[] = [];
  const add = (message: string) =>
    problems.push({ file: SCRATCH_DEF, rule: 'scratch-def', message });
  if (!existsSync(path)) {
    add(
      'missing: `sf org create scratch` needs a definition of the org the package deploys to'
    );
    return problems;
  }
  let definition: { features?: unknown; settings?: unknown };
  try {
    definition = JSON.parse(readFileSync(path, 'utf8')) as typeof definition;
  } catch (error) {
    add(`not JSON: ${(error as Error).message}`);
    return problems;
  }
  const features = Array.isArray(definition.features)
    ? definition.features.map((f) =>
        String(f).split(':')[0]?.trim().toLowerCase()
      )
    : [];
  const settings = (definition.settings ?? {}) as Record<string, XmlNode>;
  for (const [key, values] of Object.entries(settings)) {
    const type = describeType(typeOfSetting(key));
    if (!type) {
      add(`settings.${key}: no settings type ${typeOfSetting(key)}`);
      continue;
    }
    for (const [name, value] of Object.entries(values)) {
      const prop = type.props.get(name);
      if (!prop) add(`settings.${key}.${name} is not a field of ${type.name}`);
      else if (
        elementType(prop).name === 'boolean' &&
        typeof value !== 'boolean'
      )
        add(`settings.${key}.${name} must be true or false`);
    }
  }
  if (usesWorkOrders(xml)) {
    const fieldService = settings.fieldServiceSettings ?? {};
    if (!features.includes('fieldservice'))
      add(
        'the package ships WorkOrder metadata: features must include FieldService'
      );
    if (
      fieldService.enableWorkOrders !== true ||
      fieldService.fieldServiceOrgPref !== true
    )
      add(
        'the package ships WorkOrder metadata: settings.fieldServiceSettings needs enableWorkOrders and fieldServiceOrgPref true'
      );
  }
  return problems;
}
