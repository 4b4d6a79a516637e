/**
 * Scores written multi-turn dialogues (test/fixtures/dialogues.jsonl) against the bot's answers through
 * `converse --jsonl`: the right kind of reply, the provider/app/topic where one is expected, no live test nobody asked
 * for, no reply given twice in one conversation, first diagnoses short enough for a phone screen.
 */
import { readFileSync } from 'node:fs';
import { detectLang } from '../../src/engine/normalize.js';
import type { TurnOut } from '../../test/support/converse.js';

export interface Expect {
  kind: string | string[];
  provider?: string | null;
  client?: string | null;
  topic?: string | null;
  /** null: this turn must not start a test. */
  probeTarget?: string | null;
}

export interface DialogueTurn {
  conversation: string;
  text: string;
  /** Passed to converse as is: false is a message in a watched channel (default true, as in a DM). */
  addressed?: boolean;
  user?: string;
  expect: Expect;
  source: string;
}

export interface Miss {
  conversation: string;
  turn: number;
  text: string;
  what: string;
  expected: string;
  got: string;
}

export interface DialogueScore {
  turns: number;
  kindRight: { all: [number, number]; ja: [number, number]; en: [number, number] };
  fields: Record<'provider' | 'client' | 'topic' | 'probeTarget', [number, number]>;
  /** Turns answered with a test that expected none (any turn whose expected kind is not probe). */
  unaskedProbes: Miss[];
  repeated: Miss[];
  longDiagnoses: Miss[];
  misses: Miss[];
}

/** A first diagnosis longer than this does not fit a phone screen. */
export const FIRST_DIAGNOSIS_MAX = 600;

export function loadDialogues(path: string): DialogueTurn[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DialogueTurn);
}

export function scoreDialogues(turns: DialogueTurn[], out: TurnOut[]): DialogueScore {
  const score: DialogueScore = {
    turns: turns.length,
    kindRight: { all: [0, 0], ja: [0, 0], en: [0, 0] },
    fields: { provider: [0, 0], client: [0, 0], topic: [0, 0], probeTarget: [0, 0] },
    unaskedProbes: [],
    repeated: [],
    longDiagnoses: [],
    misses: [],
  };
  const firstText = new Map<string, string>();
  const said = new Map<string, Set<string>>();
  const diagnosed = new Set<string>();
  const index = new Map<string, number>();
  turns.forEach((t, i) => {
    const o = out[i] as TurnOut;
    const n = (index.get(t.conversation) ?? 0) + 1;
    index.set(t.conversation, n);
    if (!firstText.has(t.conversation)) firstText.set(t.conversation, t.text);
    // A conversation's language is its first turn's.
    const lang = detectLang(firstText.get(t.conversation) ?? t.text);
    const miss = (what: string, expected: string, got: string): Miss => ({ conversation: t.conversation, turn: n, text: t.text, what, expected, got });
    const kinds = Array.isArray(t.expect.kind) ? t.expect.kind : [t.expect.kind];
    const right = kinds.includes(o.kind);
    for (const k of ['all', lang] as const) {
      score.kindRight[k][1]++;
      if (right) score.kindRight[k][0]++;
    }
    if (!right) score.misses.push(miss('kind', kinds.join('|'), `${o.kind}${o.topic ? `/${o.topic}` : ''}${o.probeTarget ? ` ${o.probeTarget}` : ''}`));
    for (const f of ['provider', 'client', 'topic', 'probeTarget'] as const) {
      if (!(f in t.expect)) continue;
      const want = t.expect[f] ?? null;
      score.fields[f][1]++;
      if (o[f] === want) score.fields[f][0]++;
      else score.misses.push(miss(f, String(want), String(o[f])));
    }
    if (o.kind === 'probe' && !kinds.includes('probe')) score.unaskedProbes.push(miss('unasked probe', kinds.join('|'), String(o.probeTarget)));
    if (o.text.trim() !== '') {
      const seen = said.get(t.conversation) ?? new Set<string>();
      if (seen.has(o.text)) score.repeated.push(miss('repeated', 'a new reply', o.text.slice(0, 80).replace(/\n/g, ' ')));
      seen.add(o.text);
      said.set(t.conversation, seen);
    }
    if (o.kind === 'diagnosis' && !diagnosed.has(t.conversation)) {
      diagnosed.add(t.conversation);
      if (o.text.length > FIRST_DIAGNOSIS_MAX) score.longDiagnoses.push(miss('first diagnosis length', `≤ ${FIRST_DIAGNOSIS_MAX}`, String(o.text.length)));
    }
  });
  return score;
}

export function formatScore(s: DialogueScore, showMisses = true): string {
  const pct = ([a, b]: [number, number]): string => `${b === 0 ? '-' : ((a / b) * 100).toFixed(1)}% (${a}/${b})`;
  const lines = [
    `dialogues: ${s.turns} turns`,
    `right kind: ${pct(s.kindRight.all)}  ja ${pct(s.kindRight.ja)}  en ${pct(s.kindRight.en)}`,
    `provider ${pct(s.fields.provider)}  client ${pct(s.fields.client)}  topic ${pct(s.fields.topic)}  probeTarget ${pct(s.fields.probeTarget)}`,
    `probes not asked: ${s.unaskedProbes.length}`,
    `replies repeated within a conversation: ${s.repeated.length}`,
    `first diagnoses over ${FIRST_DIAGNOSIS_MAX} chars: ${s.longDiagnoses.length}`,
  ];
  if (showMisses) {
    const all = [...s.unaskedProbes, ...s.repeated, ...s.longDiagnoses, ...s.misses];
    if (all.length > 0) lines.push('', 'misses (conversation#turn, what: expected → got):');
    for (const m of all) lines.push(`  ${m.conversation}#${m.turn} ${m.what}: ${m.expected} → ${m.got}   | ${m.text.slice(0, 70)}`);
  }
  return lines.join('\n');
}
