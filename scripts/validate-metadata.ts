// npm run validate:metadata [-- <project root>]: offline checks that force-app deploys as written.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { validateProject } from './metadata/validate-project.ts';

const projectRoot = resolve(process.argv[2] ?? '.');
const project = z
  .object({
    sourceApiVersion: z.string().regex(/^\d+\.0$/),
    packageDirectories: z.array(z.object({ path: z.string() })).min(1)
  })
  .parse(
    JSON.parse(readFileSync(join(projectRoot, 'sfdx-project.json'), 'utf8'))
  );

const sourceDir = project.packageDirectories[0]?.path ?? 'force-app';
const report = await validateProject({
  projectRoot,
  sourceDir,
  apiVersion: project.sourceApiVersion
});

const summary = Object.entries(report.components)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([type, count]) => `${type} ${count}`)
  .join(', ');
console.log(
  `Metadata validation of ${sourceDir} (API ${project.sourceApiVersion})`
);
console.log(
  `  ${report.xmlFiles} XML files; converted with source-deploy-retrieve: ${summary || 'nothing'}`
);
if (report.problems.length > 0) {
  console.error(`\n${report.problems.length} problem(s):`);
  for (const problem of report.problems)
    console.error(
      `  ${problem.file}: [${problem.rule ?? 'other'}] ${problem.message}`
    );
  process.exit(1);
}
console.log(
  '  OK: every element and enum value matches its Metadata API type, the deploy rules hold, cross-references resolve, the integration permission set grants what the connector reads and writes.'
);
