/**
 * The probe's strings without a YAML parser or a schema library, which cost a probe command more than probing a
 * loopback port: `npm run build` writes knowledge/ui/probe.yaml, validated, as JSON beside the compiled code with the
 * hash of the YAML it came from. A probe starts from that while the hash matches, and reads and validates the YAML
 * otherwise (after an edit, or from src/ under tsx).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { UiStrings } from '../engine/types.js';

export const PROBE_UI_FILE = fileURLToPath(new URL('../../knowledge/ui/probe.yaml', import.meta.url));
/** Beside the compiled code (dist/), like the knowledge snapshot. */
export const PROBE_UI_SNAPSHOT = fileURLToPath(new URL('../probe-ui.json', import.meta.url));

export function probeUiHash(yaml: Buffer | string): string {
  return createHash('sha256').update(yaml).digest('hex');
}

/** The snapshot's strings, or null when there is none or the YAML changed since it was written. */
export function readProbeUiSnapshot(file: string = PROBE_UI_SNAPSHOT, yamlFile: string = PROBE_UI_FILE): UiStrings | null {
  try {
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { hash: string; ui: UiStrings };
    return snap.hash === probeUiHash(readFileSync(yamlFile)) ? snap.ui : null;
  } catch {
    // No snapshot (running from src/) or an unreadable one: the YAML is the source anyway.
    return null;
  }
}

let cached: UiStrings | null = null;

export async function probeUi(): Promise<UiStrings> {
  cached ??= readProbeUiSnapshot() ?? (await import('./ui.js')).loadProbeUi();
  return cached;
}
