/**
 * The sender checks' own strings (knowledge/ui/check.yaml) with the probe's (refusals, address classes), for callers
 * that have not loaded the whole knowledge base.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { UiStrings } from '../../engine/types.js';
import { uiSchema } from '../../knowledge/schema.js';
import { loadProbeUi } from '../ui.js';

export const CHECK_UI_FILE = fileURLToPath(new URL('../../../knowledge/ui/check.yaml', import.meta.url));

let cached: UiStrings | null = null;

export function loadCheckUi(): UiStrings {
  cached ??= { ...loadProbeUi(), ...uiSchema.parse(yaml.load(readFileSync(CHECK_UI_FILE, 'utf8'), { schema: yaml.CORE_SCHEMA })) };
  return cached;
}
