/** The App Home tab through the real Bolt app: drawn on opening, in the user's language; the language menu sets it. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOME_LANG_ACTION } from '../../../src/render/slack.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import type { StandinCall } from '../../support/slack-standin.js';

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; options: { value: string }[]; initial_option?: { value: string } };
}

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.standin.reset();
});

const blocks = (call: StandinCall | undefined): Block[] => ((call?.body.view as { blocks?: Block[] } | undefined)?.blocks ?? []);
const menu = (call: StandinCall | undefined) => blocks(call).find((b) => b.block_id === HOME_LANG_ACTION)?.accessory;

function chooseLang(value: string) {
  return h.driver.interaction({
    type: 'block_actions',
    team: { id: 'T1', domain: 'test' },
    user: { id: 'UHOME', username: 'hanako', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '111.222.trigger',
    container: { type: 'view', view_id: 'VHOME' },
    view: { id: 'VHOME', type: 'home' },
    actions: [{ action_ts: '1700000000.1', type: 'static_select', action_id: HOME_LANG_ACTION, block_id: HOME_LANG_ACTION, selected_option: { text: { type: 'plain_text', text: '日本語' }, value } }],
  });
}

describe('App Home', () => {
  it('opening the Home tab publishes what the bot does and the language menu, set to automatic', async () => {
    await h.driver.event({ type: 'app_home_opened', user: 'UHOME', channel: 'DUHOME', tab: 'home', event_ts: '1700000000.1' });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'views.publish'));
    const publish = h.standin.of('views.publish')[0];
    expect(publish?.body.user_id).toBe('UHOME');
    expect(blocks(publish)[0]?.text?.text).toBe('How to use smtp-doctor');
    expect(menu(publish)?.options.map((o) => o.value)).toEqual(['auto', 'ja', 'en']);
    expect(menu(publish)?.initial_option?.value).toBe('auto');
  });

  it('the Messages tab draws nothing', async () => {
    await h.driver.event({ type: 'app_home_opened', user: 'UHOME', channel: 'DUHOME', tab: 'messages', event_ts: '1700000000.2' });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standin.of('views.publish')).toHaveLength(0);
  });

  it('choosing 日本語 sets the language (answers and the tab follow); automatic clears it', async () => {
    await chooseLang('ja');
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'views.publish'));
    const publish = h.standin.of('views.publish')[0];
    expect(menu(publish)?.initial_option?.value).toBe('ja');
    expect(blocks(publish)[0]?.text?.text).toBe('smtp-doctor の使い方');
    expect(await h.bot.langFor('UHOME', 'my mail will not send')).toBe('ja');
    h.standin.reset();
    await chooseLang('auto');
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'views.publish'));
    expect(menu(h.standin.of('views.publish')[0])?.initial_option?.value).toBe('auto');
    expect(await h.bot.langFor('UHOME', 'my mail will not send')).toBe('en');
  });
});
