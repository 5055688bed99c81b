// The bench's two measured runs, each in a child process of its own so that its peak RSS is its own:
// `baseline` downloads every photo to disk, `copy` runs the connector's files processor (the real
// Salesforce client, streamed download → upload) over the same photos. RSS is sampled every 20 ms.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createFilesProcessor } from '../../connector/src/files/files-processor.ts';
import { createSalesforceClient } from '../../connector/src/salesforce/index.ts';
import type { SalesforceClientOptions } from '../../connector/src/salesforce/index.ts';
import { benchScope, photosOf, sessionId } from './workload.ts';
import type { Workload } from './workload.ts';

export interface RunResult {
  files: number;
  bytes: number;
  wallMs: number;
  startRss: number;
  peakRss: number;
  /** Salesforce calls by operation (copy run only). */
  calls: Record<string, number>;
  outcomes: Record<string, number>;
}

export interface ChildInput {
  mode: 'baseline' | 'copy';
  workload: Workload;
  storeUrl: string;
  storeKey: string;
  batchSize: number;
  base64MaxBytes: number;
  salesforce: SalesforceClientOptions['auth'] & { apiVersion: string };
}

function sampleRss(): { stop(): { start: number; peak: number } } {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(
    () => (peak = Math.max(peak, process.memoryUsage.rss())),
    20
  );
  return {
    stop: () => (
      clearInterval(timer),
      { start, peak: Math.max(peak, process.memoryUsage.rss()) }
    )
  };
}

async function baseline(
  input: ChildInput
): Promise<Omit<RunResult, 'startRss' | 'peakRss' | 'wallMs'>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-files-'));
  let files = 0;
  let bytes = 0;
  try {
    for (let s = 0; s < input.workload.sessions; s++)
      for (const photo of photosOf(
        input.workload,
        s,
        input.storeUrl,
        input.storeKey
      )) {
        const response = await fetch(photo.url);
        if (!response.ok || !response.body)
          throw new Error(`download ${response.status}`);
        const path = join(dir, photo.name);
        await pipeline(
          Readable.fromWeb(response.body as WebReadableStream),
          createWriteStream(path)
        );
        files++;
        bytes += photo.size;
        rmSync(path);
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { files, bytes, calls: {}, outcomes: {} };
}

async function copy(
  input: ChildInput
): Promise<Omit<RunResult, 'startRss' | 'peakRss' | 'wallMs'>> {
  const calls: Record<string, number> = {};
  const { apiVersion, ...auth } = input.salesforce;
  const salesforce = createSalesforceClient({
    auth,
    apiVersion,
    metrics: {
      apiCall: (_system, operation) =>
        void (calls[operation] = (calls[operation] ?? 0) + 1),
      salesforceApiUsage: () => undefined
    }
  });
  const processor = createFilesProcessor({
    scope: {
      execute: benchScope(input.workload, input.storeUrl, input.storeKey),
      capabilities: async () => ({ fields: {} }) as never
    },
    salesforce: salesforce.files,
    // file_copies rows are one insert per batch; the bench leaves PostgreSQL out
    pool: { query: async () => ({ rows: [] }) } as never,
    maxBytes: 2 ** 31,
    base64MaxBytes: input.base64MaxBytes
  });
  const outcomes: Record<string, number> = {};
  for (let s = 0; s < input.workload.sessions; s += input.batchSize) {
    const ids = Array.from(
      { length: Math.min(input.batchSize, input.workload.sessions - s) },
      (_, i) => sessionId(s + i)
    );
    const results = await processor.process(
      ids.map((resourceId) => ({
        resourceId,
        event: 'files',
        receivedAt: new Date().toISOString()
      }))
    );
    for (const r of results) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
  }
  const files = calls.uploadFile ?? 0;
  let bytes = 0;
  for (let s = 0; s < input.workload.sessions; s++)
    for (const p of photosOf(input.workload, s, '', '')) bytes += p.size;
  return { files, bytes, calls, outcomes };
}

export async function runChild(input: ChildInput): Promise<RunResult> {
  const rss = sampleRss();
  const started = performance.now();
  const result =
    input.mode === 'baseline' ? await baseline(input) : await copy(input);
  const wallMs = performance.now() - started;
  const { start, peak } = rss.stop();
  return { ...result, wallMs, startRss: start, peakRss: peak };
}
