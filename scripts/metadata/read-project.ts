// Reads the package for the validator: every XML file (through the shared force-app reader,
// sandboxes/salesforce/metadata/xml.ts) and every LWC bundle with the modules its JavaScript imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseMetadataXml } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { XmlNode } from '../../sandboxes/salesforce/metadata/xml.ts';

/** One problem found in the package, named by file (relative to the project root). */
export interface Problem {
  readonly file: string;
  /** The rule broken (schema, enum, flexipage-mode, …); see scripts/metadata/README.md. */
  readonly rule?: string;
  readonly message: string;
}

/** A parsed metadata XML file: its path and the root element's content. */
export interface XmlFile {
  readonly file: string;
  readonly root: string;
  readonly body: XmlNode;
}

/** An LWC bundle: its meta XML and the module specifiers its JavaScript imports. */
export interface LwcBundle {
  readonly name: string;
  readonly dir: string;
  readonly meta?: XmlFile;
  readonly imports: readonly {
    readonly file: string;
    readonly specifier: string;
  }[];
}

export interface ProjectFiles {
  readonly xml: readonly XmlFile[];
  readonly lwc: readonly LwcBundle[];
  readonly problems: readonly Problem[];
}

function walk(dir: string, skip: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (skip(path)) return [];
    return entry.isDirectory() ? walk(path, skip) : [path];
  });
}

const isTestPath = (path: string): boolean =>
  /[\\/](__tests__|node_modules)([\\/]|$)/.test(path);

const IMPORT = /\bimport\s+(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g;

/** Reads every XML file (checking it is well-formed) and every LWC bundle under sourceDir. */
export function readProject(
  projectRoot: string,
  sourceDir: string
): ProjectFiles {
  const problems: Problem[] = [];
  const xml: XmlFile[] = [];
  const files = walk(join(projectRoot, sourceDir), isTestPath);
  for (const path of files.filter((p) => p.endsWith('.xml'))) {
    const file = relative(projectRoot, path);
    const parsed = parseMetadataXml(readFileSync(path, 'utf8'));
    if (!parsed.ok) {
      problems.push({ file, message: parsed.message });
      continue;
    }
    xml.push({ file, root: parsed.root, body: parsed.body });
  }

  const bundles = new Map<
    string,
    {
      dir: string;
      meta?: XmlFile;
      imports: { file: string; specifier: string }[];
    }
  >();
  for (const path of files) {
    const match = /[\\/]lwc[\\/]([^\\/]+)[\\/]/.exec(path);
    if (!match?.[1]) continue;
    const name = match[1];
    const bundle = bundles.get(name) ?? {
      dir: join(path.slice(0, match.index), 'lwc', name),
      imports: []
    };
    bundles.set(name, bundle);
    const file = relative(projectRoot, path);
    if (path.endsWith('.js-meta.xml')) {
      bundle.meta = xml.find((x) => x.file === file);
    } else if (path.endsWith('.js')) {
      for (const m of readFileSync(path, 'utf8').matchAll(IMPORT)) {
        if (m[1]) bundle.imports.push({ file, specifier: m[1] });
      }
    }
  }
  const lwc = [...bundles.entries()].map(([name, b]) => ({ name, ...b }));
  return { xml, lwc, problems };
}
