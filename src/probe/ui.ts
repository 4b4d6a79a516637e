/**
 * The probe's own strings (knowledge/ui/probe.yaml), for callers that have not loaded the whole knowledge base:
 * the probe must still explain itself when another part of the knowledge is being edited or is broken.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { UiStrings } from '../engine/types.js';
import { uiSchema } from '../knowledge/schema.js';

export const PROBE_UI_FILE = fileURLToPath(new URL('../../knowledge/ui/probe.yaml', import.meta.url));

let cached: UiStrings | null = null;

export function loadProbeUi(file: string = PROBE_UI_FILE): UiStrings {
  if (file === PROBE_UI_FILE && cached) return cached;
  const ui = uiSchema.parse(yaml.load(readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA }));
  if (file === PROBE_UI_FILE) cached = ui;
  return ui;
}
