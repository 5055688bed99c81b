import { createIdGenerator } from './store/ids.ts';
import { createRecordStore } from './store/record-store.ts';
import { createDml } from './store/dml.ts';
import { createQueryEngine } from './soql/run-query.ts';
import { loadSchema } from './schema/load-metadata.ts';
import {
  ADMIN_PROFILE,
  SEED_PASSWORD,
  SEED_SECURITY_TOKEN,
  seedRows
} from './seed/seed-rows.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMetadataXml } from './metadata/xml.ts';
import { readPermissionSet } from './schema/access-model.ts';
import type { ParsedPermissionSet } from './schema/access-model.ts';
import { createOwnerCheck } from './store/ownership.ts';
import { createBlobStore } from './files/blob-store.ts';
import { createContentFiles } from './files/content-files.ts';
import type { Schema } from './schema/types.ts';
import type { SRecord } from './store/record-store.ts';

export interface Faults {
  latencyMs: number;
  unavailable: boolean;
  lockRowRate: number;
  lockRowIds: Set<string>;
}

/** A subrequest of a composite request, listed in the composite's log entry. */
export interface SubrequestLogEntry {
  method: string;
  path: string;
  status: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  records: number;
  /** A composite request's subrequests, in order. */
  subrequests?: SubrequestLogEntry[];
  status: number;
  time: string;
  durationMs: number;
}

export interface StateOptions {
  metadataDir: string;
  permissionSet: string;
  apiVersion: string;
  dailyApiLimit: number;
  latencyMs: number;
  seed: false | { closedWorkOrders: number };
  integrationUsername: string;
  /** Objects whose org-wide default is Private (e.g. WorkOrder, Case, Asset); others are Public Read. */
  privateObjects: readonly string[];
  /** Where file bytes go (a temporary directory, removed on close, when absent). */
  filesDir?: string;
}

const CONTENT_OBJECTS = new Set([
  'contentdocument',
  'contentversion',
  'contentdocumentlink'
]);

const MAX_LOG = 50_000;

/** Everything the sandbox holds in memory: schema, records, faults, limits and the request log. */
export function createSandboxState(options: StateOptions) {
  let schema: Schema = loadSchema(options);
  const ids = createIdGenerator();
  // A view that always reads the current schema, since reset can reload metadata.
  const store = createRecordStore(
    {
      get objects() {
        return schema.objects;
      },
      getObject: (n) => schema.getObject(n),
      getField: (o, f) => schema.getField(o, f),
      objectForId: (id) => schema.objectForId(id),
      get access() {
        return schema.access;
      }
    },
    ids
  );
  const faults: Faults = {
    latencyMs: options.latencyMs,
    unavailable: false,
    lockRowRate: 0,
    lockRowIds: new Set()
  };
  const limits = { max: options.dailyApiLimit, used: 0 };
  let log: RequestLogEntry[] = [];
  let integrationUserId = '';
  /** The user whose request is being served (set by the API's auth step). */
  let actingUserId = '';
  /** The API version of the request being served (`XX.0`). */
  let requestApiVersion = options.apiVersion;
  const passwords = new Map<string, string>();
  const admins = new Set<string>();
  const privateObjects = new Set(
    options.privateObjects.map((o) => o.toLowerCase())
  );
  /** Manual shares: record Id → users it is shared with (Read). */
  const shares = new Map<string, Set<string>>();

  /** Permission sets assigned to seeded users other than the integration user (seed `_permissionSets`). */
  const assignments = new Map<string, readonly string[]>();
  const permissionSets = new Map<string, ParsedPermissionSet | null>();
  /** Whether a user may read an object: admins always, the integration user by its permission set. */
  function canRead(userId: string, sobject: string): boolean {
    if (admins.has(userId)) return true;
    if (userId === integrationUserId)
      return schema.access.objectAccess(sobject).read;
    return (assignments.get(userId) ?? []).some(
      (name) =>
        loadPermissionSet(name)?.objects.get(sobject.toLowerCase())?.read ??
        false
    );
  }
  function loadPermissionSet(name: string): ParsedPermissionSet | null {
    if (!permissionSets.has(name)) {
      const file = join(
        options.metadataDir,
        'permissionsets',
        `${name}.permissionset-meta.xml`
      );
      permissionSets.set(
        name,
        existsSync(file)
          ? readPermissionSet(readMetadataXml(file, 'PermissionSet'), name)
          : null
      );
    }
    return permissionSets.get(name) ?? null;
  }

  const blobs = createBlobStore(options.filesDir);
  const files = createContentFiles({
    store,
    blobs,
    userId: () => actingUserId || integrationUserId,
    apiVersion: () => requestApiVersion,
    isAdmin: () => admins.has(actingUserId)
  });
  const dml = createDml({
    store,
    hooks: files,
    faults: () => faults,
    userId: () => actingUserId || integrationUserId,
    checkOwner: createOwnerCheck({
      user: (id) => store.get('User', id),
      actingUserId: () => actingUserId || integrationUserId,
      isAdmin: (id) => admins.has(id),
      canRead
    })
  });
  const query = createQueryEngine({
    schema: () => userSchema(),
    store,
    apiVersion: () => requestApiVersion
  });

  /** The same schema with every permission granted: fixtures bypass field-level security. */
  const openSchema = (): Schema => ({
    ...schema,
    access: {
      permissionSet: null,
      objectAccess: () => ({
        read: true,
        create: true,
        edit: true,
        delete: true
      }),
      fieldAccess: () => ({ readable: true, editable: true })
    }
  });

  /**
   * System Administrator-like access for admin users: every object and field, except that the
   * Organization row stays read-only as in a real org.
   */
  const adminSchema = (): Schema => ({
    ...schema,
    access: {
      permissionSet: 'WorkLink_Admin',
      objectAccess: (sobject) =>
        sobject.toLowerCase() === 'organization'
          ? { read: true, create: false, edit: false, delete: false }
          : { read: true, create: true, edit: true, delete: true },
      fieldAccess: (sobject) => ({
        readable: true,
        editable: sobject.toLowerCase() !== 'organization'
      })
    }
  });

  /**
   * Record sharing for the acting user on a Private object: what it owns, what is shared with it, or
   * everything with View All. SOQL omits the rest silently; lookups to it are refused.
   */
  function recordVisible(sobject: string, record: SRecord): boolean {
    if (CONTENT_OBJECTS.has(sobject.toLowerCase())) return fileVisible(record);
    if (!privateObjects.has(sobject.toLowerCase())) return true;
    if (schema.access.objectAccess(sobject).viewAll) return true;
    const userId = actingUserId || integrationUserId;
    return (
      record.OwnerId === userId ||
      (shares.get(String(record.Id))?.has(userId) ?? false)
    );
  }

  /** Editing a record on a Private object needs ownership, a share or Modify All: View All only reads. */
  function recordEditable(sobject: string, record: SRecord): boolean {
    if (!privateObjects.has(sobject.toLowerCase())) return true;
    if (schema.access.objectAccess(sobject).modifyAll) return true;
    const userId = actingUserId || integrationUserId;
    return (
      record.OwnerId === userId ||
      (shares.get(String(record.Id))?.has(userId) ?? false)
    );
  }

  /** Files are shared through their links: the owner, or a link to the user or a record it sees. */
  function fileVisible(record: SRecord): boolean {
    const documentId = String(record.ContentDocumentId ?? record.Id);
    return files.documentVisible(
      documentId,
      actingUserId || integrationUserId,
      (recordId) => {
        const hit = store.find(recordId);
        return !!hit && recordVisible(hit.def.name, hit.record);
      }
    );
  }

  /** The schema as the acting user sees it: admins see everything, others get the permission set. */
  function userSchema(): Schema {
    if (admins.has(actingUserId)) return adminSchema();
    return {
      ...schema,
      access: { ...schema.access, recordVisible, recordEditable }
    };
  }

  /** Inserts fixture rows (bypassing FLS); unknown fields are dropped when `lenient`. */
  function insertFixture(sobject: string, body: SRecord, lenient = false) {
    const def = schema.getObject(sobject);
    if (!def) throw new Error(`Unknown sObject ${sobject}`);
    const clean: SRecord = {};
    for (const [k, v] of Object.entries(body)) {
      if (k === '_key' || k === 'attributes') continue;
      if (lenient && !schema.getField(def, k)) continue;
      clean[k] = v;
    }
    // Fixtures are written by the integration user, whoever made the last API call.
    const acting = actingUserId;
    actingUserId = '';
    try {
      return dml.save(
        openSchema(),
        def,
        dml.prepare(openSchema(), def, clean),
        undefined,
        true
      );
    } finally {
      actingUserId = acting;
    }
  }

  function seed(): void {
    if (!options.seed) return;
    const keys = new Map<string, string>();
    for (const [sobject, row] of seedRows({
      closedWorkOrders: options.seed.closedWorkOrders,
      now: Date.now()
    })) {
      const resolved: SRecord = {};
      const {
        _password: password,
        _profile: profile,
        _permissionSets: assigned,
        ...fields
      } = row;
      for (const [k, v] of Object.entries(fields)) {
        resolved[k] =
          typeof v === 'string' && v.startsWith('ref:')
            ? keys.get(v.slice(4))
            : v;
      }
      const outcome = insertFixture(sobject, resolved, true);
      if (!outcome.success)
        throw new Error(
          `Seeding ${sobject} failed: ${JSON.stringify(outcome.errors)}`
        );
      if (typeof row._key === 'string') keys.set(row._key, outcome.id);
      if (typeof password === 'string') passwords.set(outcome.id, password);
      if (profile === ADMIN_PROFILE) admins.add(outcome.id);
      if (Array.isArray(assigned)) assignments.set(outcome.id, assigned);
      if (row._key === 'integration') integrationUserId = outcome.id;
    }
  }

  function findUser(username: string): string | undefined {
    const def = schema.getObject('User');
    if (!def) return undefined;
    const [id] = store.findUnique(def, 'Username', username, false);
    const user = id ? store.get('User', id) : undefined;
    return user && user.IsActive !== false ? id : undefined;
  }

  function ensureIntegrationUser(): void {
    integrationUserId = findUser(options.integrationUsername) ?? '';
    if (integrationUserId) return;
    const outcome = insertFixture('User', {
      FirstName: 'Integration',
      LastName: 'User',
      Username: options.integrationUsername,
      Email: options.integrationUsername,
      IsActive: true
    });
    if (!outcome.success) return;
    integrationUserId = outcome.id;
    passwords.set(outcome.id, SEED_PASSWORD);
  }

  /** The user a username/password login is for: the password alone or with the security token appended. */
  function checkPassword(
    username: string,
    supplied: string
  ): string | undefined {
    const id = findUser(username);
    const password = id ? passwords.get(id) : undefined;
    if (!id || password === undefined) return undefined;
    return supplied === password || supplied === password + SEED_SECURITY_TOKEN
      ? id
      : undefined;
  }

  function reset(reloadMetadata: boolean): void {
    if (reloadMetadata) schema = loadSchema(options);
    files.clear();
    store.clear();
    passwords.clear();
    admins.clear();
    assignments.clear();
    permissionSets.clear();
    shares.clear();
    actingUserId = '';
    query.reset();
    log = [];
    limits.used = 0;
    faults.latencyMs = options.latencyMs;
    faults.unavailable = false;
    faults.lockRowRate = 0;
    faults.lockRowIds.clear();
    seed();
    ensureIntegrationUser();
  }

  seed();
  ensureIntegrationUser();

  return {
    options,
    get schema() {
      return schema;
    },
    /** The schema with the acting user's access (see `actAs`). */
    get userSchema() {
      return userSchema();
    },
    /** Serves the rest of the current request as this user (permissions, audit fields). */
    actAs(userId: string): void {
      actingUserId = userId;
    },
    /** Serves the rest of the current request in this API version (the URLs it answers). */
    useApiVersion(version: string): void {
      requestApiVersion = version;
    },
    /** The version of the request being served; the latest outside a request. */
    apiVersion: () => requestApiVersion,
    isAdmin: (userId: string) => admins.has(userId),
    /** Shares a record with a user (default: the integration user), like a manual or Apex share. */
    share(recordId: string, userId = integrationUserId): void {
      const users = shares.get(recordId) ?? new Set<string>();
      users.add(userId);
      shares.set(recordId, users);
    },
    checkPassword,
    openSchema,
    store,
    dml,
    files,
    blobs,
    query,
    faults,
    limits,
    get log() {
      return log;
    },
    clearLog(): void {
      log = [];
    },
    record(entry: RequestLogEntry): void {
      log.push(entry);
      if (log.length > MAX_LOG) log = log.slice(-MAX_LOG / 2);
    },
    insertFixture,
    findUser,
    integrationUserId: () => integrationUserId,
    reset
  };
}

export type SandboxState = ReturnType<typeof createSandboxState>;
