/** The App Home tab of one user: what the bot does and their language choice, published with views.publish. */
import { helpReply } from '../../bot/replies.js';
import { renderHome } from '../../render/slack.js';
import type { SlackClient, SlackContext } from './context.js';

export async function publishHome(ctx: SlackContext, client: SlackClient, userId: string): Promise<void> {
  const chosen = await ctx.bot.langChoice(userId);
  const lang = await ctx.bot.langFor(userId, '');
  await client.views.publish({ user_id: userId, view: renderHome(helpReply(ctx.bot.kb, lang), ctx.bot.kb.ui, chosen) });
}
