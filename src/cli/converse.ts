/**
 * `smtp-doctor converse --jsonl`: conversations as JSON Lines, the contract dialogues are evaluated with. One
 * {"conversation", "text", "user"?, "addressed"?} a line in, exactly one answer a line out, in order; lines with the
 * same conversation id are one conversation, different ids share nothing. It never opens a socket: a probe the bot
 * would start is reported as its target. A bad line gets {"error": ...} and the run goes on.
 */
import type { Bot, Incoming, Outcome } from '../bot/core.js';
import type { TurnKind } from '../bot/dialogue.js';
import { t } from '../engine/i18n.js';
import { MAX_INPUT_CHARS } from '../engine/normalize.js';
import type { Lang } from '../engine/types.js';
import { renderText } from '../render/text.js';
import { readLines } from './classify.js';

const MAX_LINE_CHARS = 4 * MAX_INPUT_CHARS;

interface Turn {
  conversation: string;
  text: string;
  user?: string;
  addressed: boolean;
}

function parseTurn(line: string): Turn | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'not valid JSON: expected {"conversation": "...", "text": "..."}';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'expected a JSON object: {"conversation": "...", "text": "..."}';
  const o = parsed as Record<string, unknown>;
  if (typeof o.conversation !== 'string' || o.conversation === '') return 'missing "conversation" (a non-empty string)';
  if (typeof o.text !== 'string') return 'missing "text" (a string)';
  if (o.user !== undefined && typeof o.user !== 'string') return '"user" must be a string';
  if (o.addressed !== undefined && typeof o.addressed !== 'boolean') return '"addressed" must be true or false';
  const turn: Turn = { conversation: o.conversation, text: o.text, addressed: o.addressed !== false };
  if (typeof o.user === 'string') turn.user = o.user;
  return turn;
}

interface Answer {
  kind: TurnKind;
  category: string | null;
  entry: string | null;
  topic: string | null;
  provider: string | null;
  client: string | null;
  lang: Lang;
  probeTarget: string | null;
  text: string;
}

export async function converseLine(bot: Bot, line: string): Promise<string> {
  const turn = parseTurn(line);
  if (typeof turn === 'string') return JSON.stringify({ error: turn });
  const key = `converse:${turn.conversation}`;
  // Without a user id, each conversation is its own user: a language chosen in one is not carried into another.
  const userId = turn.user ?? key;
  const incoming: Incoming = {
    text: turn.text,
    place: turn.addressed ? 'direct' : 'channel',
    addressed: turn.addressed,
    userId,
    channelId: key,
    conversation: key,
  };
  const outcome = await bot.handle(incoming);
  const state = await bot.conversation(key);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const answer: Answer = {
    kind: 'silence',
    category: null,
    entry: null,
    topic: null,
    provider: str(state.provider),
    client: str(state.client),
    lang: await langOf(bot, outcome, userId, turn.text, str(state.lang)),
    probeTarget: null,
    text: '',
  };
  if (outcome.type === 'reply') {
    answer.kind = outcome.turn?.kind ?? 'help';
    answer.category = outcome.turn?.category ?? outcome.diagnosis?.category ?? null;
    answer.entry = outcome.turn?.entry ?? outcome.diagnosis?.entry?.id ?? null;
    answer.topic = outcome.turn?.topic ?? null;
    answer.text = renderText(outcome.reply);
  } else if (outcome.type === 'probe' || outcome.type === 'check') {
    const { target, lang } = outcome.request;
    const port = outcome.type === 'probe' ? outcome.request.ports[0] : undefined;
    answer.kind = 'probe';
    answer.probeTarget = port === undefined ? target : `${target}:${port}`;
    answer.text = `${t(bot.kb.ui, outcome.type === 'probe' ? 'talk.probe.starting' : 'check.progress.starting', lang, { target: answer.probeTarget })}\n`;
  }
  return JSON.stringify(answer);
}

async function langOf(bot: Bot, outcome: Outcome, userId: string, text: string, conversation: string | null): Promise<Lang> {
  if (outcome.type === 'reply') return outcome.reply.lang;
  if (outcome.type === 'probe' || outcome.type === 'check') return outcome.request.lang;
  return bot.langFor(userId, text, undefined, conversation === 'ja' || conversation === 'en' ? conversation : undefined);
}

export async function converseCommand(bot: Bot, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const write = async (line: string): Promise<void> => {
    if (!output.write(`${line}\n`)) await new Promise<void>((r) => output.once('drain', () => r()));
  };
  for await (const raw of readLines(input, MAX_LINE_CHARS)) {
    if (raw === null) await write(JSON.stringify({ error: `line longer than ${MAX_LINE_CHARS} characters` }));
    else if (raw.trim() === '') await write(JSON.stringify({ error: 'empty line: expected {"conversation": "...", "text": "..."}' }));
    else {
      let answer: string;
      try {
        answer = await converseLine(bot, raw);
      } catch (err) {
        // One turn that fails is reported on its line; the conversation and the run go on.
        answer = JSON.stringify({ error: `could not answer this line: ${err instanceof Error ? err.name : 'error'}` });
      }
      await write(answer);
    }
  }
  return 0;
}
