/** `npm run build` step: validate knowledge/ui/probe.yaml and write the snapshot probe commands start from (ui-snapshot.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadProbeUi } from './ui.js';
import { PROBE_UI_FILE, PROBE_UI_SNAPSHOT, probeUiHash } from './ui-snapshot.js';

const ui = loadProbeUi(PROBE_UI_FILE);
writeFileSync(PROBE_UI_SNAPSHOT, JSON.stringify({ generator: 'src/probe/write-ui-snapshot.ts (npm run build)', hash: probeUiHash(readFileSync(PROBE_UI_FILE)), ui }));
