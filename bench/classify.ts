/**
 * Whole-process `classify --jsonl` on real text: every labelled corpus in test/fixtures but the blind holdout-* sets cycled to 20,000 lines, run as
 * a user runs it (the `smtp-doctor` command: bin/smtp-doctor.js through its #! line, start-up included), side by side with Debian's sisimai
 * (`Sisimai::Reason->match`, libsisimai-perl) on the same lines in the same run, alternating, several rounds;
 * medians of wall time, CPU time and peak RSS (by /usr/bin/time), and the ratios. sisimai gets plain text lines, its
 * cheapest input. Also the start-up alone (one line) and `probe --help`-free commands' start-up.
 * Run alone with `npx tsx bench/classify.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');
const LINES = 20_000;
const ROUNDS = 5;
const TARGETS = { ratio: 3, peakRssMb: 64, startupMs: 300 };
const SISIMAI = `perl -MSisimai::Reason -ne 'chomp; my $r = Sisimai::Reason->match($_); print(($r // ""), "\\n")'`;

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** One whole-process run under /usr/bin/time: elapsed, user+system CPU, maximum resident set. */
function timed(command: string, stdinFile: string): Run | null {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'sh', '-c', `${command} < '${stdinFile}' > /dev/null`], { encoding: 'utf8', cwd: ROOT });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
  if (r.status !== 0 || !m) return null;
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

export function realLines(): string[] {
  const texts: string[] = [];
  // The blind sets (holdout-*) are read by nothing but their one scoring: not even a timing run opens them.
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl') && !f.startsWith('holdout-')).sort()) {
    for (const l of readFileSync(join(FIXTURES, f), 'utf8').split('\n')) {
      if (!l.trim()) continue;
      const o = JSON.parse(l) as { text?: unknown };
      if (typeof o.text === 'string') texts.push(o.text);
    }
  }
  return Array.from({ length: LINES }, (_, i) => texts[i % texts.length] ?? '');
}

export async function benchClassify(): Promise<void> {
  if (!existsSync('/usr/bin/time')) {
    console.log('whole-process classify: skipped (needs /usr/bin/time: apt-get install time)');
    return;
  }
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
    console.log('whole-process classify: skipped (run npm run build first)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-bench-'));
  try {
    const lines = realLines();
    const jsonl = join(dir, 'lines.jsonl');
    const plain = join(dir, 'lines.txt');
    const one = join(dir, 'one.jsonl');
    writeFileSync(jsonl, `${lines.map((text) => JSON.stringify({ text })).join('\n')}\n`);
    writeFileSync(plain, `${lines.map((t) => t.replace(/[\r\n]+/g, ' ')).join('\n')}\n`);
    writeFileSync(one, `${JSON.stringify({ text: '554 5.7.1 Relay access denied' })}\n`);
    const avg = lines.reduce((a, t) => a + t.length, 0) / lines.length;
    const ours = './bin/smtp-doctor.js classify --jsonl';
    const withSisimai = spawnSync('perl', ['-MSisimai::Reason', '-e', '1']).status === 0;
    const runs = { ours: [] as Run[], sisimai: [] as Run[], startup: [] as Run[] };
    for (let round = 0; round < ROUNDS; round++) {
      const a = timed(ours, jsonl);
      if (a) runs.ours.push(a);
      if (withSisimai) {
        const b = timed(SISIMAI, plain);
        if (b) runs.sisimai.push(b);
      }
      const s = timed(ours, one);
      if (s) runs.startup.push(s);
    }
    const show = (name: string, xs: Run[]): string =>
      `${name.padEnd(38)} wall ${median(xs.map((x) => x.wall)).toFixed(2)} s  cpu ${median(xs.map((x) => x.cpu)).toFixed(2)} s  peak RSS ${median(xs.map((x) => x.rssMb)).toFixed(0)} MB`;
    console.log(`whole-process classify, ${LINES} real lines (labelled corpora but the blind sets, cycled, ${avg.toFixed(0)} chars on average), median of ${ROUNDS} rounds, alternating:`);
    console.log(`  ${show('smtp-doctor classify --jsonl', runs.ours)}  [target peak RSS <= ${TARGETS.peakRssMb} MB]`);
    if (withSisimai && runs.sisimai.length > 0) {
      console.log(`  ${show('sisimai Sisimai::Reason->match (perl)', runs.sisimai)}`);
      const wall = median(runs.sisimai.map((x) => x.wall)) / median(runs.ours.map((x) => x.wall));
      const cpu = median(runs.sisimai.map((x) => x.cpu)) / median(runs.ours.map((x) => x.cpu));
      console.log(`  smtp-doctor is ${wall.toFixed(1)}x faster than sisimai by wall time, ${cpu.toFixed(1)}x by CPU time  [target >= ${TARGETS.ratio}x]`);
    } else console.log('  sisimai: not installed (apt-get install libsisimai-perl), no ratio');
    console.log(`  ${show('start-up: classify of one line', runs.startup)}  [target < ${TARGETS.startupMs} ms]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchClassify();
}
