/** Runs `smtp-doctor converse --jsonl` (the built CLI) on turns and returns its answers, one per turn, parsed. */
import { runCli } from './cli.js';

export interface TurnIn {
  conversation: string;
  text: string;
  user?: string;
  addressed?: boolean;
}

export interface TurnOut {
  kind: string;
  category: string | null;
  entry: string | null;
  topic: string | null;
  provider: string | null;
  client: string | null;
  lang: 'ja' | 'en';
  probeTarget: string | null;
  text: string;
  error?: string;
}

export async function converse(turns: (TurnIn | string)[], env: Record<string, string> = {}): Promise<TurnOut[]> {
  const input = turns.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))).join('\n');
  const run = await runCli(['converse', '--jsonl'], `${input}\n`, env);
  if (run.code !== 0) throw new Error(`converse exited ${run.code}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== turns.length) throw new Error(`converse answered ${lines.length} lines for ${turns.length} turns\n${run.stderr}`);
  return lines.map((l) => JSON.parse(l) as TurnOut);
}

/** Turns of one conversation, from plain texts. */
export function dialogue(id: string, ...texts: string[]): TurnIn[] {
  return texts.map((text) => ({ conversation: id, text }));
}
