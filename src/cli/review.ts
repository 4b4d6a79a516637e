/**
 * `smtp-doctor review`: what users disputed (👎) and what the bot did not understand, from the deployment's store
 * (DATA_DIR or REDIS_URL). An operator lists them, labels each with the right category or "none", and exports the
 * labelled ones as corpus lines ({"text","accept","lang","source"}) for training. Texts are as stored: redacted.
 *
 *   review                      list every item
 *   review show ID              one item in full
 *   review label ID CATEGORY    label it (a category id, or "none": not a sending problem the bot knows)
 *   review export               labelled items as JSONL on stdout
 */
import { corpusLine, Feedback, isLabel, type FeedbackItem } from '../bot/feedback.js';
import type { StateStore } from '../bot/state.js';
import { CATEGORY_IDS } from '../engine/types.js';
import { UsageError, type CliIO } from './commands.js';

const oneLine = (s: string, max: number): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function summary(item: FeedbackItem): string {
  const user = item.userLabel ? ` user:${item.userLabel}` : '';
  const label = item.label ? ` label:${item.label}` : ' (unlabelled)';
  return `${item.id}  ${item.kind.padEnd(8)} bot:${item.answer.category}${user}${label}  [${item.lang}] ${oneLine(item.text, 100)}`;
}

export async function reviewCommand(store: StateStore, argv: string[], io: CliIO): Promise<number> {
  const feedback = new Feedback(store);
  const [sub = 'list', ...rest] = argv;
  switch (sub) {
    case 'list': {
      const items = await feedback.list();
      for (const item of items) io.stdout.write(`${summary(item)}\n`);
      const open = items.filter((i) => !i.label).length;
      io.stderr.write(`${items.length} items, ${open} unlabelled. Label with: smtp-doctor review label ID CATEGORY|none\n`);
      return 0;
    }
    case 'show': {
      const item = (await feedback.list()).find((i) => i.id === rest[0]);
      if (!item) throw new UsageError(`review show: no item "${rest[0] ?? ''}" (see smtp-doctor review)`);
      io.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
      return 0;
    }
    case 'label': {
      const [id, label] = rest;
      if (!id || !label || rest.length !== 2) throw new UsageError('usage: smtp-doctor review label ID CATEGORY|none');
      if (!isLabel(label)) throw new UsageError(`review label: "${label}" is not a category; use one of: ${CATEGORY_IDS.filter((c) => c !== 'unknown').join(', ')}, none`);
      if (!(await feedback.label(id, label, 'operator'))) throw new UsageError(`review label: no item "${id}" (see smtp-doctor review)`);
      io.stderr.write(`labelled ${id} as ${label}\n`);
      return 0;
    }
    case 'export': {
      let n = 0;
      for (const item of await feedback.list()) {
        const line = corpusLine(item);
        if (!line) continue;
        io.stdout.write(`${line}\n`);
        n++;
      }
      io.stderr.write(`exported ${n} labelled lines\n`);
      return 0;
    }
    default:
      throw new UsageError(`review: unknown sub-command "${sub}" (list, show ID, label ID CATEGORY|none, export)`);
  }
}
