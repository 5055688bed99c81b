const SEASONS = ['Spring', 'Summer', 'Winter'] as const;

/** `GET /services/data`: every version from 31.0 up to the sandbox's, labelled like Salesforce. */
export function apiVersions(latest: string) {
  const max = Math.floor(Number(latest));
  const versions = [];
  for (let v = 31; v <= max; v++) {
    const season = SEASONS[v % 3] ?? 'Spring';
    const year =
      season === 'Winter'
        ? (v + 13) / 3
        : season === 'Summer'
          ? (v + 11) / 3
          : (v + 12) / 3;
    versions.push({
      label: `${season} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`
    });
  }
  return versions;
}

/** Whether `vXX.X` names a version the sandbox serves. */
export function isServedVersion(segment: string, latest: string): boolean {
  const match = /^v(\d+)\.0$/.exec(segment);
  return (
    !!match && Number(match[1]) >= 20 && Number(match[1]) <= Number(latest)
  );
}
