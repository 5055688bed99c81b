import { ApiError } from '../errors.ts';

const SEASONS = ['Spring', 'Summer', 'Winter'] as const;

/** Winter '27: the newest version a real org serves in December 2026, and the sandbox's default. */
export const LATEST_API_VERSION = '68.0';
/** The oldest version still served; 21.0–30.0 were retired in Summer '25. */
export const OLDEST_API_VERSION = 31;
const OLDEST_RETIRED_VERSION = 21;

/** `GET /services/data`: every version from 31.0 up to the sandbox's, labelled like Salesforce. */
export function apiVersions(latest: string) {
  const max = Math.floor(Number(latest));
  const versions = [];
  for (let v = OLDEST_API_VERSION; v <= max; v++) {
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

const versionNumber = (segment: string): number | null => {
  const match = /^v(\d+)\.0$/.exec(segment);
  return match ? Number(match[1]) : null;
};

/** Whether `vXX.X` names a version the sandbox serves. */
export function isServedVersion(segment: string, latest: string): boolean {
  const v = versionNumber(segment);
  return v !== null && v >= OLDEST_API_VERSION && v <= Number(latest);
}

/** Whether `vXX.X` names a retired version (21.0–30.0), which answers 410 rather than 404. */
export function isRetiredVersion(segment: string): boolean {
  const v = versionNumber(segment);
  return v !== null && v >= OLDEST_RETIRED_VERSION && v < OLDEST_API_VERSION;
}

/** 410 for a retired version. The status is documented; the errorCode and message are a guess. */
export const versionGone = (): ApiError =>
  new ApiError(
    410,
    'GONE',
    'The requested resource has been retired or removed. Delete or update any references to the resource.'
  );
