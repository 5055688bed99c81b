import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

const labelsFileSchema = z.object({
  CustomLabels: z
    .object({
      labels: z
        .array(
          z.object({
            fullName: z.string().min(1),
            value: z.union([z.string(), z.number()])
          })
        )
        .default([])
    })
    .default({ labels: [] })
});

/** Parses `CustomLabels.labels-meta.xml` into fullName → value (what `@salesforce/label/c.<name>` yields). */
export function parseCustomLabels(xml: string): Map<string, string> {
  const parser = new XMLParser({
    isArray: (name) => name === 'labels',
    parseTagValue: false,
    trimValues: false
  });
  const parsed = labelsFileSchema.parse(parser.parse(xml));
  return new Map(
    parsed.CustomLabels.labels.map((label) => [
      label.fullName,
      String(label.value)
    ])
  );
}

export async function readCustomLabels(
  path: string
): Promise<Map<string, string>> {
  try {
    return parseCustomLabels(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}
