// The GraphQL query texts of the packaged components, read from their source exactly as shipped, so the
// sandbox and preview tests run the queries the org will receive and cannot drift from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LWC_DIR = join(process.cwd(), 'force-app', 'main', 'default', 'lwc');

/** The `gql` template of `component` whose operation is `query <operationName>`. */
export function lwcQuery(component: string, operationName: string): string {
  const source = readFileSync(
    join(LWC_DIR, component, `${component}.js`),
    'utf8'
  );
  for (const match of source.matchAll(/gql`([^`]*)`/g)) {
    const text = match[1] ?? '';
    if (new RegExp(`\\bquery\\s+${operationName}\\b`).test(text)) return text;
  }
  throw new Error(`No gql query ${operationName} in ${component}`);
}
