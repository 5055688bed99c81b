import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ComponentSet,
  MetadataConverter
} from '@salesforce/source-deploy-retrieve';
import {
  checkComponents,
  labelNames,
  quickActionNames,
  tabNames
} from './check-components.ts';
import { checkAnalytics } from './check-analytics.ts';
import { checkApps } from './check-apps.ts';
import { checkLayouts } from './check-layouts.ts';
import { checkPermissionSets } from './check-permission-sets.ts';
import { checkUserText } from './check-text.ts';
import { checkDeployRules } from './check-deploy-rules.ts';
import { checkSchema } from './check-schema.ts';
import { checkScratchDefinition } from './check-scratch-def.ts';
import type { Problem } from './read-project.ts';
import { readProject } from './read-project.ts';
import { buildSchema } from './schema.ts';
import { connectorQueries } from './connector-soql.ts';

/** The checkout this validator belongs to: its connector's SOQL defines what the integration user reads. */
const VALIDATOR_ROOT = resolve(import.meta.dirname, '../..');

export interface ValidationReport {
  readonly problems: readonly Problem[];
  /** Metadata components by type, as Salesforce's converter resolved them. */
  readonly components: Readonly<Record<string, number>>;
  readonly xmlFiles: number;
}

export interface ValidateOptions {
  readonly projectRoot: string;
  readonly sourceDir?: string;
  /** Defaults to sfdx-project.json's sourceApiVersion. */
  readonly apiVersion?: string;
}

/**
 * Converts the source to Metadata API format with @salesforce/source-deploy-retrieve (the
 * library behind `sf project deploy`), into a temporary directory that is removed again.
 */
async function convertToMetadataFormat(
  sourcePath: string,
  apiVersion: string
): Promise<{ components: Record<string, number>; problems: Problem[] }> {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'worklink-mdapi-'));
  const components: Record<string, number> = {};
  try {
    const set = ComponentSet.fromSource(sourcePath);
    set.sourceApiVersion = apiVersion;
    for (const component of set.getSourceComponents()) {
      components[component.type.name] =
        (components[component.type.name] ?? 0) + 1;
    }
    await new MetadataConverter().convert(set, 'metadata', {
      type: 'directory',
      outputDirectory,
      genUniqueDir: false
    });
    return { components, problems: [] };
  } catch (error) {
    const message =
      error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
    return {
      components,
      problems: [
        {
          file: sourcePath,
          message: `source-deploy-retrieve could not convert the source: ${message}`
        }
      ]
    };
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }
}

/** sfdx-project.json's sourceApiVersion, the version every component must carry. */
function sourceApiVersion(root: string): string {
  const project = JSON.parse(
    readFileSync(join(root, 'sfdx-project.json'), 'utf8')
  ) as { sourceApiVersion?: string };
  if (!project.sourceApiVersion)
    throw new Error(
      `${join(root, 'sfdx-project.json')} has no sourceApiVersion`
    );
  return project.sourceApiVersion;
}

/** Validates force-app offline: types, deploy rules, conversion and cross-references. */
export async function validateProject({
  projectRoot,
  sourceDir = 'force-app',
  apiVersion: requestedVersion
}: ValidateOptions): Promise<ValidationReport> {
  const root = resolve(projectRoot);
  const apiVersion = requestedVersion ?? sourceApiVersion(root);
  const files = readProject(root, sourceDir);
  const converted = await convertToMetadataFormat(
    join(root, sourceDir),
    apiVersion
  );
  const schema = buildSchema(files.xml);
  const withRule = (rule: string, found: readonly Problem[]): Problem[] =>
    found.map((p) => ({ ...p, rule: p.rule ?? rule }));
  const problems = [
    ...withRule('xml', files.problems),
    ...withRule('sdr-conversion', converted.problems),
    ...checkSchema(files.xml),
    ...checkDeployRules(files.xml, files.lwc, apiVersion),
    ...checkScratchDefinition(root, files.xml),
    ...withRule('user-text', checkUserText(files.xml)),
    ...withRule(
      'permission-set',
      checkPermissionSets(
        files.xml,
        schema,
        tabNames(files.xml),
        connectorQueries(VALIDATOR_ROOT)
      )
    ),
    ...checkApps(files.xml),
    ...checkAnalytics(files.xml, schema),
    ...withRule(
      'layout-reference',
      checkLayouts(files.xml, schema, quickActionNames(files.xml))
    ),
    ...withRule(
      'component-reference',
      checkComponents(files.xml, files.lwc, schema, labelNames(files.xml))
    )
  ];
  return {
    problems,
    components: converted.components,
    xmlFiles:
      files.xml.length +
      files.problems.filter((p) => p.message.startsWith('malformed')).length
  };
}
