/**
 * Engine figures: start-up (load + index), throughput on short messages on one core, and p50/p99 latency for a
 * 200-character error, a 2,000-character log and a 20,000-character paste. Medians and ratios, not single runs:
 * these machines are shared. Run alone with `npx tsx bench/engine.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diagnose } from '../src/engine/diagnose.js';
import { buildIndex } from '../src/engine/index.js';
import type { KnowledgeBase } from '../src/engine/types.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { DEFAULT_KNOWLEDGE_DIR, readSnapshot } from '../src/knowledge/snapshot.js';

/** The snapshot `npm run build` writes beside the compiled code. */
const SNAPSHOT = fileURLToPath(new URL('../dist/knowledge-snapshot.json', import.meta.url));

const TARGETS = { startupMs: 300, shortPerSec: 5000, p99Paste20kMs: 5 };

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms.toFixed(2));

/** A log of ordinary lines with one mail error in the middle, about `chars` long. */
function logPaste(chars: number, error: string): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = `Nov 28 10:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')} web-1 app[${1000 + (i % 97)}]: GET /api/items/${i} 200 ${i % 50}ms user=u${i % 13}`;
    lines.push(line);
    size += line.length + 1;
    if (Math.abs(size - chars / 2) < line.length) lines.push(error);
  }
  return lines.join('\n').slice(0, chars);
}

const SHORT = [
  '554 5.7.1 <a@example.jp>: Relay access denied',
  'Error: Invalid login: 535 5.7.8 Username and Password not accepted',
  'Error: connect ETIMEDOUT 203.0.113.5:25',
  'タスク "user@example.jp - 送信中" からエラー (0x800CCC0E) が報告されました',
  'SMTPメールサーバーに接続できません',
  '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table',
  '452 4.2.2 Mailbox full',
  '530 5.7.0 Must issue a STARTTLS command first',
  'getaddrinfo ENOTFOUND smtp.exmaple.com',
  '送信 (SMTP) サーバーの認証に失敗しました。',
  'Happy Friday everyone!',
  'お疲れさまです。明日の定例は10時からでしたっけ？',
  'port 587 is what we use, right?',
  'メール送っておきました',
];

export async function benchEngine(): Promise<void> {
  // Start-up as the commands do it: the validated snapshot of a build (npm run build), else the YAML read and checked;
  // the first load in this process (automaton built, model decoded), then warm repeats.
  const load = (): KnowledgeBase => readSnapshot(DEFAULT_KNOWLEDGE_DIR, SNAPSHOT) ?? loadKnowledge();
  const from = readSnapshot(DEFAULT_KNOWLEDGE_DIR, SNAPSHOT) ? 'snapshot' : 'YAML (no build: run npm run build)';
  const t0 = performance.now();
  const index = buildIndex(load());
  const coldMs = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    buildIndex(load());
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  const yaml0 = performance.now();
  buildIndex(loadKnowledge());
  const yamlMs = performance.now() - yaml0;
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(`engine start-up (load ${from} + index + model): first ${fmt(coldMs)} ms, median of 10 ${fmt(quantile(warm, 0.5))} ms  [target < ${TARGETS.startupMs} ms]; from the YAML ${fmt(yamlMs)} ms`);
  console.log(`  knowledge: ${index.kb.entries.length} entries, ${index.phrases.length} phrases; heap after load ${heapMb.toFixed(1)} MB`);

  // Throughput on short messages, one core, three rounds of ~1 s; the median round is reported.
  for (let i = 0; i < 2000; i++) diagnose(index, SHORT[i % SHORT.length] ?? '');
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) {
      for (const s of SHORT) diagnose(index, s);
      n += SHORT.length;
    }
    rounds.push((n * 1000) / (performance.now() - start));
  }
  rounds.sort((a, b) => a - b);
  const perSec = rounds[1] ?? 0;
  console.log(`classify throughput, short messages (${SHORT.length} kinds, one core): median ${Math.round(perSec)} msg/s  [target >= ${TARGETS.shortPerSec}] (${(perSec / TARGETS.shortPerSec).toFixed(1)}x)`);

  const error = 'Nov 28 10:30:00 web-1 app[1042]: mail failed: Error: Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials';
  const cases: [string, string][] = [
    ['200-char error', error.slice(0, 200)],
    ['2,000-char log', logPaste(2000, error)],
    ['20,000-char paste', logPaste(20000, error)],
  ];
  for (const [name, text] of cases) {
    const check = diagnose(index, text);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) diagnose(index, text);
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      diagnose(index, text);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const target = name.startsWith('20,000') ? `  [target p99 < ${TARGETS.p99Paste20kMs} ms]` : '';
    console.log(`latency ${name.padEnd(18)} p50 ${fmt(quantile(times, 0.5))} ms  p99 ${fmt(quantile(times, 0.99))} ms  (${text.length} chars → ${check.category})${target}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchEngine();
}
