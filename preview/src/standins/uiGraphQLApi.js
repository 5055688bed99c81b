// Stand-in for `lightning/uiGraphQLApi` in the local preview. The launcher reads the packaged
// WorkLink_Setting__mdt record through it; the preview has no org, so the adapter answers with no
// record and the launcher uses its defaults (the record the package ships holds the same values).

/** The platform parses the query at compile time; here the text is enough. */
export function gql(strings, ...values) {
  return strings.reduce((text, part, i) => text + part + (values[i] ?? ''), '');
}

export class graphql {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {
    this.dataCallback({ data: undefined, errors: undefined });
  }

  update() {}

  disconnect() {}
}
