// What a copied photo is called in Salesforce Files: the title says scenario, step and time (what a
// service manager scans in the related list), the description says it again in full with the Scope
// event, and PathOnClient gives the file its extension (Salesforce derives FileExtension from it).
import type { PhotoEvent } from '../scope/photo-events.ts';

const TITLE_MAX = 255;
const DESCRIPTION_MAX = 1000;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic'
};

/** `2026-12-03 14:05 UTC` */
function when(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Cut to `max` characters (code points, so a multi-byte character is never split). */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function photoTitle(photo: PhotoEvent, scenarioName?: string): string {
  const parts = [
    scenarioName ?? 'Scope session',
    photo.stepName,
    when(photo.takenAt)
  ].filter(Boolean);
  return cut(parts.join(' — '), TITLE_MAX);
}

export function photoDescription(
  photo: PhotoEvent,
  scenarioName?: string
): string {
  const lines = [
    `Photo taken in Scope AR WorkLink${scenarioName ? `, scenario "${scenarioName}"` : ''}`,
    photo.stepName ? `step "${photo.stepName}"` : undefined,
    when(photo.takenAt) ? `at ${when(photo.takenAt)}` : undefined,
    photo.caption ? `caption: ${photo.caption}` : undefined,
    `Scope event ${photo.eventId}`
  ].filter(Boolean);
  return cut(lines.join('; '), DESCRIPTION_MAX);
}

export function photoPath(photo: PhotoEvent, contentType?: string): string {
  const name = photo.fileName?.replace(/[\\/]/g, '_');
  if (name && /\.[A-Za-z0-9]{1,8}$/.test(name)) return cut(name, TITLE_MAX);
  const type = (contentType ?? photo.contentType ?? '').split(';')[0]?.trim();
  const extension = EXTENSIONS[type ?? ''] ?? 'bin';
  return `${name ?? 'scope-photo'}.${extension}`;
}
