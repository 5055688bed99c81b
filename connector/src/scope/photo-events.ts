// A session's photos as Scope lists them (reference §5.4: `scenarioSessionEvents` with valueTypes
// [PHOTO]), each with its signed file URL and when that URL expires, and one event's fresh URL once the
// old one has expired (`node(id:)`: URLs are never stored, reference §4 Attachment). Only the Attachment
// fields the tenant's schema has are selected (the one cached introspection): `fileURL` with
// `fileURLExpiresAt` where they exist, the older `fileUrl` otherwise.
import { ScopeApiError } from './scope-error.ts';
import type { Execute, GraphQLResult } from './scope-transport.ts';

export interface PhotoEvent {
  /** Scope's global id of the ScenarioSessionEvent: the ContentVersion's WorkLink_Scope_Event_Id__c. */
  eventId: string;
  takenAt?: string;
  stepName?: string;
  caption?: string;
  fileName?: string;
  contentType?: string;
  /** Scope's fileSize, when the schema has it: lets an oversized photo be skipped without a download. */
  size?: number;
  url: string;
  /** Epoch ms; absent when the schema does not say (a 403 then tells). */
  expiresAt?: number;
}

export interface SessionPhotos {
  scenarioName?: string;
  photos: PhotoEvent[];
}

const PAGE_SIZE = 100;
const ATTACHMENT_FIELDS = ['fileName', 'fileContentType', 'fileSize'];

/** The Attachment selection for this schema (null: the tenant's Attachment has no URL field). */
export function attachmentSelection(
  attachment: ReadonlySet<string> | undefined
): string | null {
  // Without introspection: the documented sample's fields.
  const has = (f: string) => (attachment ? attachment.has(f) : true);
  const url = has('fileURL')
    ? `fileURL${has('fileURLExpiresAt') ? ' fileURLExpiresAt' : ''}`
    : has('fileUrl')
      ? 'fileUrl'
      : null;
  if (!url) return null;
  return [...ATTACHMENT_FIELDS.filter(has), url].join(' ');
}

const eventFields = (attachment: string) => `
  id createdAt eventData
  photo { ${attachment} }
  scenarioSessionStep { scenarioStep { name } }`;

function listQuery(attachment: string): string {
  return `query WorkLinkSessionPhotos($sessionId: ID!, $first: Int!, $after: String) {
  session: node(id: $sessionId) { ... on ScenarioSession { scenarioRelease { scenario { name } } } }
  page: scenarioSessionEvents(first: $first, after: $after, valueTypes: [PHOTO], scenarioSessionId: $sessionId) {
    nodes { ${eventFields(attachment)} }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

const refreshQuery = (attachment: string) =>
  `query WorkLinkPhotoUrl($id: ID!) { event: node(id: $id) { ... on ScenarioSessionEvent { ${eventFields(attachment)} } } }`;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' ? (v as Obj) : undefined;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const numeric = Number(value);
  if (value.trim() !== '' && Number.isFinite(numeric)) return numeric;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function eventData(value: unknown): Obj | undefined {
  if (typeof value !== 'string') return obj(value);
  try {
    return obj(JSON.parse(value)); // one client had eventData as a JSON string (reference §4)
  } catch {
    return undefined;
  }
}

/** One listed node → a PhotoEvent, or undefined when it has no downloadable photo. */
export function toPhotoEvent(node: unknown): PhotoEvent | undefined {
  const event = obj(node);
  const photo = obj(event?.photo);
  const eventId = str(event?.id);
  const url = str(photo?.fileURL) ?? str(photo?.fileUrl);
  if (!event || !photo || !eventId || !url) return undefined;
  const data = eventData(event.eventData);
  const step = obj(obj(event.scenarioSessionStep)?.scenarioStep);
  const size = photo.fileSize;
  const result: PhotoEvent = { eventId, url };
  const optional: Partial<PhotoEvent> = {
    takenAt: str(event.createdAt),
    stepName: str(step?.name) ?? str(data?.step_name),
    caption: str(data?.caption),
    fileName: str(photo.fileName),
    contentType: str(photo.fileContentType),
    size: typeof size === 'number' && size >= 0 ? size : undefined,
    expiresAt: epochMs(photo.fileURLExpiresAt)
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(result, { [key]: value });
  return result;
}

function failed(operation: string, errors: readonly { message: string }[]) {
  return new ScopeApiError(
    `Scope ${operation}: ${errors.map((e) => e.message).join('; ')}`,
    { kind: 'graphql', status: 200 }
  );
}

interface ListData {
  session?: { scenarioRelease?: { scenario?: { name?: string } } } | null;
  page?: {
    nodes?: unknown[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** Every photo event of the session, page by page. */
export async function listSessionPhotos(
  execute: Execute,
  attachment: string,
  sessionId: string
): Promise<SessionPhotos> {
  const photos: PhotoEvent[] = [];
  let scenarioName: string | undefined;
  let after: string | null = null;
  for (;;) {
    const result: GraphQLResult<ListData> = await execute<ListData>(
      'sessionPhotos',
      listQuery(attachment),
      {
        sessionId,
        first: PAGE_SIZE,
        after
      }
    );
    const page = result.data?.page;
    if (!page) throw failed('sessionPhotos', result.errors);
    scenarioName ??= str(result.data?.session?.scenarioRelease?.scenario?.name);
    for (const node of page.nodes ?? []) {
      const photo = toPhotoEvent(node);
      if (photo) photos.push(photo);
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return { ...(scenarioName ? { scenarioName } : {}), photos };
}

/** The event again, with a freshly signed URL (undefined: Scope no longer has it, or no photo). */
export async function refreshPhotoEvent(
  execute: Execute,
  attachment: string,
  eventId: string
): Promise<PhotoEvent | undefined> {
  const result = await execute<{ event?: unknown }>(
    'photoUrl',
    refreshQuery(attachment),
    { id: eventId }
  );
  if (result.data === null || result.data === undefined)
    throw failed('photoUrl', result.errors);
  return toPhotoEvent(result.data.event);
}
