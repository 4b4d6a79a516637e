/** `npm run build` step: validate knowledge/ and write the snapshot that commands start from (see snapshot.ts). */
import { writeFileSync } from 'node:fs';
import { buildIndex } from '../engine/index.js';
import { loadKnowledge } from './load.js';
import { DEFAULT_KNOWLEDGE_DIR, knowledgeHash, SNAPSHOT_FILE } from './snapshot.js';

const kb = loadKnowledge(DEFAULT_KNOWLEDGE_DIR);
const phraseKeys = Object.fromEntries(buildIndex(kb, { model: null }).phraseKeys);
writeFileSync(SNAPSHOT_FILE, JSON.stringify({ generator: 'src/knowledge/write-snapshot.ts (npm run build)', hash: knowledgeHash(DEFAULT_KNOWLEDGE_DIR), kb: { ...kb, phraseKeys } }));
