// Entry point for building the preview in its own process: `node --import tsx build-preview-main.ts <outDir>`.
// Prints the PreviewBuild as JSON on the last line of stdout.
import { buildPreview } from './build-preview.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: build-preview-main.ts <outDir>');
  process.exit(2);
}
const result = await buildPreview({ outDir });
process.stdout.write(`${JSON.stringify(result)}\n`);
