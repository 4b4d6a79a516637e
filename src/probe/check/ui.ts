/**
 * The sender checks' own strings (knowledge/ui/check.yaml) with the probe's (refusals, address classes), for callers
 * that have not loaded the whole knowledge base.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { UiStrings } from '../../engine/types.js';
import { uiSchema } from '../../knowledge/schema.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../knowledge/snapshot.js';
import { loadProbeUi } from '../ui.js';

// From the one knowledge directory, not a path relative to this file: the bundled CLI puts this code elsewhere.
export const CHECK_UI_FILE = join(DEFAULT_KNOWLEDGE_DIR, 'ui/check.yaml');

let cached: UiStrings | null = null;

export function loadCheckUi(): UiStrings {
  cached ??= { ...loadProbeUi(), ...uiSchema.parse(yaml.load(readFileSync(CHECK_UI_FILE, 'utf8'), { schema: yaml.CORE_SCHEMA })) };
  return cached;
}
