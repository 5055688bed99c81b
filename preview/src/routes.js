// Where each record page lives: /<route>/<number>, e.g. /service-appointments/SA-0001.

const RECORD_PATH = /^\/([a-z-]+)\/([^/]+)$/;

/** The route and record number of the current path, or null on any other path. */
export function currentRecordPath(pathname) {
  const match = pathname.match(RECORD_PATH);
  return match
    ? { route: match[1], number: decodeURIComponent(match[2]) }
    : null;
}

/** The page of one record; `search` keeps ?formFactor=… when moving between records. */
export function recordHref(kind, record, search) {
  return `/${kind.route}/${encodeURIComponent(record.number)}${search}`;
}

/** The kind and record the path names, or null. */
export function findRecord(kinds, path) {
  if (!path) return null;
  const kind = kinds.find((candidate) => candidate.route === path.route);
  const record = kind?.records.find(
    (candidate) => candidate.number === path.number
  );
  return kind && record ? { kind, record } : null;
}
