// The bench's sessions and photos: ids shaped like Scope's (base64 with + / =), ten photos a session
// whose sizes spread between the minimum and maximum, and a Scope `execute` that lists a session's
// photo events with URLs signed by the bench's photo store. Scope's GraphQL is not what is measured:
// the list is answered in process, the bytes and Salesforce go over real HTTP.
import type { Execute } from '../../connector/src/scope/index.ts';
import { photoSize, signPhoto } from './photo-store.ts';

export interface Workload {
  sessions: number;
  photosPerSession: number;
  minBytes: number;
  maxBytes: number;
}

export const sessionId = (s: number) =>
  Buffer.from(`ScenarioSession:${90_000 + s}`).toString('base64') + '+/';
export const eventId = (s: number, p: number) =>
  Buffer.from(`ScenarioSessionEvent:${(90_000 + s) * 100 + p}`).toString(
    'base64'
  );

export interface PhotoRef {
  eventId: string;
  name: string;
  size: number;
  url: string;
}

export function photosOf(
  w: Workload,
  s: number,
  storeUrl: string,
  key: string
): PhotoRef[] {
  return Array.from({ length: w.photosPerSession }, (_, p) => {
    const size = photoSize(s * w.photosPerSession + p, w.minBytes, w.maxBytes);
    const name = `photo-${s}-${p}.png`;
    const expires = Date.now() + 3_600_000;
    const signature = signPhoto(key, `${name}:${size}`, expires);
    return {
      eventId: eventId(s, p),
      name,
      size,
      url: `${storeUrl}/photos/${name}?size=${size}&expires=${expires}&signature=${signature}`
    };
  });
}

export function benchScope(
  w: Workload,
  storeUrl: string,
  key: string
): Execute {
  const bySession = new Map(
    Array.from({ length: w.sessions }, (_, s) => [sessionId(s), s])
  );
  return async <T>(
    _operation: string,
    _query: string,
    variables?: Record<string, unknown>
  ) => {
    const s = bySession.get(String(variables?.sessionId)) ?? -1;
    const photos = s < 0 ? [] : photosOf(w, s, storeUrl, key);
    const nodes = photos.map((p, i) => ({
      id: p.eventId,
      createdAt: new Date(Date.UTC(2026, 11, 3, 14, 5, i)).toISOString(),
      eventData: { caption: `Prüfschritt ${i + 1} — Dichtung` },
      photo: {
        fileName: p.name,
        fileContentType: 'image/png',
        fileSize: p.size,
        fileURL: p.url,
        fileURLExpiresAt: new Date(Date.now() + 3_600_000).toISOString()
      },
      scenarioSessionStep: { scenarioStep: { name: `Étape ${i + 1}` } }
    }));
    return {
      data: {
        session: null,
        page: { nodes, pageInfo: { hasNextPage: false, endCursor: null } }
      } as T,
      errors: []
    };
  };
}
