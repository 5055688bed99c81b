import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './build-preview.ts';
import { previewBuildKey } from './preview-build-key.ts';
import { z } from 'zod';
import type { PreviewBuild } from './build-preview.ts';

const MAIN = fileURLToPath(new URL('./build-preview-main.ts', import.meta.url));
const resultSchema = z.object({
  outDir: z.string(),
  components: z.record(z.string())
});
const CACHE_DIR = join(REPO_ROOT, 'node_modules/.cache/worklink-preview');

/**
 * The preview bundle for the current sources, built once per change of the component, the page shell,
 * the labels or the LWC packages, and kept under node_modules/.cache (git-ignored with node_modules).
 */
export async function buildPreviewCached(): Promise<PreviewBuild> {
  const outDir = join(CACHE_DIR, previewBuildKey());
  const manifest = join(outDir, 'build.json');
  if (existsSync(manifest)) {
    const cached = resultSchema.safeParse(
      JSON.parse(await readFile(manifest, 'utf8'))
    );
    if (cached.success) return { ...cached.data, outDir };
  }
  // Build next to the cache entry and rename: a concurrent or interrupted build never leaves half a bundle.
  const staging = `${outDir}.${process.pid}.tmp`;
  const result = { ...(await buildPreviewInChild(staging)), outDir };
  await writeFile(join(staging, 'build.json'), JSON.stringify(result));
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);
  return result;
}

/**
 * Runs buildPreview in a separate process. Rollup and the LWC compiler hold the CPU for seconds at a time;
 * in the demo's own process that would stall the in-process sandboxes (late simulator ticks, keep-alive
 * sockets timed out mid-request) while everything starts.
 */
export function buildPreviewInChild(outDir: string): Promise<PreviewBuild> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, outDir],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `The preview build failed:\n${stderr.trim() || error.message}`
            )
          );
          return;
        }
        const lastLine = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(resultSchema.parse(JSON.parse(lastLine)));
        } catch {
          reject(
            new Error(
              `The preview build printed no result:\n${stdout}\n${stderr}`
            )
          );
        }
      }
    );
  });
}
