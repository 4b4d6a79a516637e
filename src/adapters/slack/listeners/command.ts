/**
 * `/smtp-doctor diagnose TEXT | checklist | probe TARGET [port] | check TARGET | lang ja|en | help` (scope commands).
 * Acknowledged at once (Slack allows 3 seconds), the work done after. Answers only the user sees go through the
 * response URL; a probe is posted in the conversation (or the user's DM when the app is not in it) so that it can
 * be edited live.
 */
import type { App } from '@slack/bolt';
import { helpReply } from '../../../bot/replies.js';
import { t } from '../../../engine/i18n.js';
import type { Lang } from '../../../engine/types.js';
import type { Reply } from '../../../render/model.js';
import type { SlackContext } from '../context.js';
import { runCheck } from '../check.js';
import { deliver, sendChecklist, type Origin } from '../outcome.js';
import { apologize, render, respondOrPost } from '../post.js';
import { runProbe } from '../probe.js';
import { fromSlackText } from '../slack-text.js';

export const COMMAND = '/smtp-doctor';

const SUBCOMMANDS: Record<string, 'diagnose' | 'checklist' | 'probe' | 'check' | 'lang' | 'help'> = {
  diagnose: 'diagnose',
  診断: 'diagnose',
  checklist: 'checklist',
  チェックリスト: 'checklist',
  probe: 'probe',
  test: 'probe',
  テスト: 'probe',
  check: 'check',
  チェック: 'check',
  lang: 'lang',
  language: 'lang',
  言語: 'lang',
  help: 'help',
  ヘルプ: 'help',
};

const LANGS: Record<string, Lang> = { ja: 'ja', japanese: 'ja', 日本語: 'ja', en: 'en', english: 'en', 英語: 'en' };

function commandHelp(ctx: SlackContext, lang: Lang): Reply {
  const ui = ctx.bot.kb.ui;
  const help = helpReply(ctx.bot.kb, lang);
  return {
    ...help,
    sections: [...help.sections, { heading: t(ui, 'slack.command.title', lang), style: 'bullets', items: t(ui, 'slack.command.items', lang).split('\n') }],
  };
}

function note(lang: Lang, text: string): Reply {
  return { kind: 'info', lang, title: text, summary: '', severity: 'info', sections: [], actions: [] };
}

export function registerCommand(app: App, ctx: SlackContext): void {
  app.command(COMMAND, async ({ command, ack, respond: respondOnce, client }) => {
    await ack();
    const respond = respondOrPost(ctx, client, respondOnce, { channel: command.channel_id, userId: command.user_id });
    const userId = command.user_id;
    const text = fromSlackText(command.text ?? '');
    const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
    const word = match?.[1]?.toLowerCase() ?? '';
    const sub = match ? (SUBCOMMANDS[word] ?? 'diagnose') : 'help';
    // An unknown first word is part of a pasted error: "/smtp-doctor 550 5.7.1 Relaying denied" diagnoses it all.
    const rest = match && SUBCOMMANDS[word] ? (match[2] ?? '').trim() : text;
    const lang = await ctx.bot.langFor(userId, rest || text);
    const ui = ctx.bot.kb.ui;
    const origin: Origin = { userId, dest: { channel: command.channel_id }, direct: false, respond };
    const tell = async (reply: Reply): Promise<void> => {
      await respond({ response_type: 'ephemeral', replace_original: false, ...render(ctx, reply) });
    };
    try {
      switch (sub) {
        case 'help':
          return await tell(commandHelp(ctx, lang));
        case 'lang': {
          const chosen = LANGS[rest.toLowerCase()];
          if (!chosen) return await tell(note(lang, t(ui, 'slack.lang.usage', lang)));
          await ctx.bot.setLang(userId, chosen);
          return await tell(note(chosen, t(ui, 'slack.lang.set', chosen)));
        }
        case 'checklist':
          return await sendChecklist(ctx, client, await ctx.bot.checklist(userId, lang), origin);
        case 'probe': {
          const [target, port, ...extra] = rest.split(/\s+/).filter(Boolean);
          if (!target || extra.length > 0) return await tell(note(lang, t(ui, 'slack.command.probe-usage', lang)));
          const ports: number[] = [];
          if (port !== undefined) {
            const n = Number(port);
            if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) return await tell(note(lang, t(ui, 'slack.command.bad-port', lang, { port })));
            ports.push(n);
          }
          return await runProbe(ctx, client, origin.dest, { target, ports, lang, userId });
        }
        case 'check': {
          // What follows the target may be a pasted message header: its DKIM-Signature names the selector to check.
          const [target, ...extra] = rest.split(/\s+/).filter(Boolean);
          if (!target || (extra.length > 0 && !/DKIM-Signature:/i.test(rest))) return await tell(note(lang, t(ui, 'slack.command.check-usage', lang)));
          return await runCheck(ctx, client, origin.dest, { target, lang, userId, text: rest });
        }
        case 'diagnose': {
          if (!rest) return await tell(note(lang, t(ui, 'slack.command.diagnose-usage', lang)));
          ctx.metrics.addressed.inc({ platform: 'slack' });
          const outcome = await ctx.bot.handle({ platform: 'slack', text: rest, place: 'direct', addressed: true, userId, channelId: command.channel_id });
          return await deliver(ctx, client, outcome, origin);
        }
      }
    } catch (err) {
      await apologize(ctx, `the command "${sub}"`, err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
