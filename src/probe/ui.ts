/**
 * The probe's own strings (knowledge/ui/probe.yaml), for callers that have not loaded the whole knowledge base:
 * the probe must still explain itself when another part of the knowledge is being edited or is broken. A probe command
 * starts from the built copy instead (ui-snapshot.ts).
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { UiStrings } from '../engine/types.js';
import { uiSchema } from '../knowledge/schema.js';
import { PROBE_UI_FILE } from './ui-snapshot.js';

export { PROBE_UI_FILE };

let cached: UiStrings | null = null;

export function loadProbeUi(file: string = PROBE_UI_FILE): UiStrings {
  if (file === PROBE_UI_FILE && cached) return cached;
  const ui = uiSchema.parse(yaml.load(readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA }));
  if (file === PROBE_UI_FILE) cached = ui;
  return ui;
}
