// npm run bench:files: the photos of N sessions (default 500 × 10, 200 kB–5 MB) copied into the
// Salesforce sandbox's Files by the connector's files processor, against a baseline that downloads the
// same photos to disk in the same run. Each run is a child process of its own (its peak RSS is its
// own); the photo store and the Salesforce sandbox run in this parent. Reports files per second, peak
// RSS, Salesforce API calls per file; writes its section of BENCHMARKS.md.
// Env: BENCH_FILES_SESSIONS, BENCH_FILES_PHOTOS, BENCH_FILES_MIN_KB, BENCH_FILES_MAX_KB,
// BENCH_FILES_BATCH (sessions per files batch, FILES_BATCH_SIZE), BENCH_FILES_BASE64_MAX_KB.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { writeBenchmarkSection } from './bench-support.ts';
import { runChild } from './bench-files/measure.ts';
import type { ChildInput, RunResult } from './bench-files/measure.ts';
import { startPhotoStore } from './bench-files/photo-store.ts';
import { sessionId } from './bench-files/workload.ts';
import type { Workload } from './bench-files/workload.ts';

const MARK_START = '<!-- bench:files -->';
const MARK_END = '<!-- /bench:files -->';
const STORE_KEY = 'bench-photo-store-key';
const env = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);

const workload: Workload = {
  sessions: env('BENCH_FILES_SESSIONS', 500),
  photosPerSession: env('BENCH_FILES_PHOTOS', 10),
  minBytes: env('BENCH_FILES_MIN_KB', 200) * 1024,
  maxBytes: env('BENCH_FILES_MAX_KB', 5120) * 1024
};

function inChild(input: ChildInput): Promise<RunResult> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  proc.send(input);
  return new Promise((resolve, reject) => {
    let result: RunResult | undefined;
    proc.on('message', (m) => (result = m as RunResult));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      result
        ? resolve(result)
        : reject(new Error(`${input.mode} child exited with ${code}`))
    );
  });
}

/** One session record per Scope session, on a seeded work order with a case (the files' link targets). */
async function seedSessions(salesforce: SalesforceSandbox): Promise<number> {
  const orders = (await (
    await fetch(`${salesforce.url}/sandbox/records/WorkOrder`)
  ).json()) as { Id: string; CaseId: string | null }[];
  const order = orders.find((o) => o.CaseId) ?? orders[0];
  const rows = Array.from({ length: workload.sessions }, (_, s) => ({
    Scope_Id__c: sessionId(s),
    Kind__c: 'Scenario Session',
    Scenario_Name__c: 'Kreiselpumpe P-100 — Gleitringdichtung',
    Work_Order__c: order?.Id ?? null,
    Case__c: order?.CaseId ?? null
  }));
  for (let i = 0; i < rows.length; i += 200) {
    const response = await fetch(
      `${salesforce.url}/sandbox/records/Scope_AR_Session__c`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rows.slice(i, i + 200))
      }
    );
    if (!response.ok)
      throw new Error(
        `seeding sessions: ${response.status} ${await response.text()}`
      );
  }
  return rows.length;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);

function section(
  base: RunResult,
  copy: RunResult,
  stored: number,
  batch: number
): string {
  const calls = Object.values(copy.calls).reduce((a, b) => a + b, 0);
  const perS = (r: RunResult) => r.files / (r.wallMs / 1000);
  const row = (name: string, r: RunResult) =>
    `| ${name} | ${r.files} | ${mb(r.bytes)} | ${(r.wallMs / 1000).toFixed(1)} | ${perS(r).toFixed(1)} | ${(r.bytes / 1048576 / (r.wallMs / 1000)).toFixed(1)} | ${mb(r.startRss)} | ${mb(r.peakRss)} |`;
  const byOperation = Object.entries(copy.calls)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return [
    MARK_START,
    '## Photos into Salesforce Files (`npm run bench:files`)',
    '',
    `${workload.sessions} sessions × ${workload.photosPerSession} photos of ${workload.minBytes / 1024}–${workload.maxBytes / 1024} kB, ${batch} sessions per files batch, one worker loop; the connector's files processor (real Salesforce client, streamed download → ContentVersion upload) against the Salesforce sandbox, and a baseline that downloads the same photos to disk. Photos come from a local signed-URL store (loopback, no network latency); the Scope listing is answered in process. Measured ${new Date().toISOString().slice(0, 10)} on this 2-core machine.`,
    '',
    '| run | files | MB | wall s | files/s | MB/s | start RSS MB | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('download to disk (baseline)', base),
    row('copy into Salesforce Files', copy),
    '',
    `- Salesforce API calls: ${calls} for ${copy.files} files = **${(calls / Math.max(1, copy.files)).toFixed(3)} per file** (${byOperation}); ContentVersions in the sandbox afterwards: ${stored}.`,
    `- Session outcomes: ${JSON.stringify(copy.outcomes)}.`,
    `- Copy vs baseline: ${((perS(copy) / perS(base)) * 100).toFixed(0)} % of the baseline's files/s; peak RSS ${mb(copy.peakRss - copy.startRss)} MB above start (baseline ${mb(base.peakRss - base.startRss)} MB).`,
    MARK_END
  ].join('\n');
}

async function main(): Promise<void> {
  const filesDir = mkdtempSync(join(tmpdir(), 'bench-sf-files-'));
  const store = await startPhotoStore(STORE_KEY);
  const salesforce = await startSalesforceSandbox({
    port: 0,
    filesDir
  } as Parameters<typeof startSalesforceSandbox>[0]);
  try {
    await seedSessions(salesforce);
    const batchSize = env('BENCH_FILES_BATCH', 10);
    const input: Omit<ChildInput, 'mode'> = {
      workload,
      storeUrl: store.url,
      storeKey: STORE_KEY,
      batchSize,
      base64MaxBytes: env('BENCH_FILES_BASE64_MAX_KB', 10240) * 1024,
      salesforce: {
        loginUrl: salesforce.url,
        flow: 'jwt',
        clientId: salesforce.clientId,
        username: salesforce.username,
        privateKeyPem: salesforce.jwtPrivateKeyPem,
        apiVersion: salesforce.apiVersion
      }
    };
    const base = await inChild({ ...input, mode: 'baseline' });
    const copied = await inChild({ ...input, mode: 'copy' });
    const versions = (await (
      await fetch(`${salesforce.url}/sandbox/records/ContentVersion`)
    ).json()) as unknown[];
    const text = section(base, copied, versions.length, batchSize);
    console.log(text);
    writeBenchmarkSection(
      new URL('../BENCHMARKS.md', import.meta.url).pathname,
      MARK_START,
      MARK_END,
      text
    );
  } finally {
    await Promise.all([store.close(), salesforce.close()]);
    rmSync(filesDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) {
  process.once('message', (input) => {
    runChild(input as ChildInput).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      }
    );
  });
} else await main();
