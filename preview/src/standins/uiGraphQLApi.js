// Stand-in for `lightning/uiGraphQLApi` (v1) in the local preview: the `graphql` wire posts its query to
// the preview server, which runs it against the Salesforce sandbox's UI API GraphQL endpoint as the
// page's viewer, and emits `{data, errors}` as the platform does. `refreshGraphQL(result)` runs the wire's
// query again. The launcher's WorkLink_Setting__mdt query is answered too: the sandbox has no custom
// metadata records, so it answers an error and the launcher keeps its defaults (the values the package
// ships).

const ENDPOINT = '/preview-api/graphql';
const adapters = new WeakMap();

/** The platform parses the query at compile time; here the text is enough. */
export function gql(strings, ...values) {
  return strings.reduce((text, part, i) => text + part + (values[i] ?? ''), '');
}

async function run(config) {
  try {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: config.query,
        variables: config.variables || {},
        operationName: config.operationName
      })
    });
    const body = await response.json();
    if (!response.ok)
      return { data: undefined, errors: [{ message: body.message }] };
    return { data: body.data || undefined, errors: body.errors };
  } catch (error) {
    return { data: undefined, errors: [{ message: String(error) }] };
  }
}

export class graphql {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.connected = false;
    this.config = undefined;
    this.seq = 0;
  }

  connect() {
    this.connected = true;
    this.load();
  }

  update(config) {
    this.config = config;
    this.load();
  }

  disconnect() {
    this.connected = false;
  }

  async load() {
    const config = this.config;
    if (!this.connected || !config || !config.query) return;
    const seq = ++this.seq;
    const result = await run(config);
    if (seq !== this.seq || !this.connected) return;
    adapters.set(result, this);
    this.dataCallback(result);
  }
}

/** Re-runs the query of the wire that emitted `result`; resolves once the fresh answer is emitted. */
export function refreshGraphQL(result) {
  const adapter = result ? adapters.get(result) : undefined;
  return adapter ? adapter.load() : Promise.resolve();
}
