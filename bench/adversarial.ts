/**
 * Hostile pastes against ordinary ones: every adversarial shape is screened in process at 100 kB, then the worst
 * ones and an ordinary log are diagnosed at 1 MB as a whole process (`smtp-doctor diagnose`, stdin), as a user's
 * paste would be. Figures are per MB; a run past the time limit is stopped and reported as such.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/engine/diagnose.js';
import { buildIndex } from '../src/engine/index.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { FILLERS, KEYWORDS, LETTERS, NESTERS, ordinaryText } from '../test/support/adversarial.js';

const BIN = fileURLToPath(new URL('../bin/smtp-doctor.js', import.meta.url));
const MB = 1_000_000;

function shapes(): Map<string, (n: number) => string> {
  const out = new Map<string, (n: number) => string>();
  const fill = (unit: string, n: number) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));
  for (const k of KEYWORDS) {
    for (const f of FILLERS) out.set(`${JSON.stringify(k)} + ${JSON.stringify(f)}×n + "x"`, (n) => `${k}${fill(f, n)}x`);
    out.set(`(${JSON.stringify(`${k} `)})×n`, (n) => fill(`${k} `, n));
  }
  for (const l of LETTERS) out.set(`${JSON.stringify(l)}×n + "!"`, (n) => `${fill(l, n)}!`);
  for (const o of NESTERS) out.set(`${JSON.stringify(o)}×n`, (n) => fill(o, n));
  out.set('Japanese log', (n) => fill('送信サーバー(SMTP)に接続できませんでした。ポート 587、認証エラー 535 5.7.8\n', n));
  return out;
}

function diagnoseProcess(text: string, limitMs: number): Promise<{ ms: number; done: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'diagnose', '--json'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, done: code === 0 });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}

export async function benchAdversarial(options: { screenChars?: number; worst?: number; limitMs?: number } = {}): Promise<void> {
  const screenChars = options.screenChars ?? 8_000;
  const limitMs = options.limitMs ?? 60_000;
  const index = buildIndex(loadKnowledge());
  const all = shapes();
  const screened: { name: string; ms: number }[] = [];
  // Each shape's faster of two runs: some parts of the engine are built at their first use in a process (the first
  // paste that reaches them pays ~200 ms once), and a single run charged that to whichever shape came first.
  for (const [name, build] of all) {
    const text = build(screenChars);
    let ms = Infinity;
    for (let run = 0; run < 2; run++) {
      const t0 = performance.now();
      analyze(index, text);
      ms = Math.min(ms, performance.now() - t0);
    }
    screened.push({ name, ms });
  }
  screened.sort((a, b) => b.ms - a.ms);
  const t0 = performance.now();
  analyze(index, ordinaryText(screenChars));
  const ordinaryScreen = performance.now() - t0;
  console.log(`Adversarial pastes: ${all.size} shapes screened in process at ${screenChars / 1000} kB (ordinary log ${ordinaryScreen.toFixed(0)} ms); worst:`);
  for (const s of screened.slice(0, 5)) console.log(`  ${s.ms.toFixed(0).padStart(7)} ms  ${s.name}`);

  const ordinary = await diagnoseProcess(ordinaryText(MB), limitMs);
  console.log(`Whole process, diagnose of 1 MB (stdin):`);
  console.log(`  ordinary log            ${(ordinary.ms / 1000).toFixed(2)} s/MB`);
  for (const s of screened.slice(0, options.worst ?? 3)) {
    const run = await diagnoseProcess(all.get(s.name)?.(MB) ?? '', limitMs);
    const figure = run.done ? `${(run.ms / 1000).toFixed(2)} s/MB (${(run.ms / ordinary.ms).toFixed(1)}× ordinary)` : `stopped after ${(limitMs / 1000).toFixed(0)} s`;
    console.log(`  ${s.name.padEnd(22)}  ${figure}`);
  }
}
