/** 👍 / 👎 in Discord, through the real discord.js Client and the stand-in: buttons, the category menu, the stored pick. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ComponentType, InteractionResponseType, MessageFlags } from 'discord.js';
import { startHarness, type Harness } from '../../support/discord-harness.js';

interface Component {
  type: number;
  custom_id?: string;
  label?: string;
  options?: { label: string; value: string }[];
}
interface Body {
  type?: number;
  content?: string;
  components?: { components?: Component[] }[];
  data?: { flags?: number; content?: string; components?: { components?: Component[] }[] };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const components = (b: Body | undefined): Component[] => (b?.components ?? b?.data?.components ?? []).flatMap((r) => r.components ?? []);
const callback = async (i: { id: string; token: string }): Promise<Body> =>
  (await h.standin.waitFor('POST', new RegExp(`^/api/v10/interactions/${i.id}/${i.token}/callback$`)))[0]!.body as Body;

async function diagnosisButtons(): Promise<{ up: string; down: string }> {
  const i = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '550 5.7.1 Relay access denied' }]);
  const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
  const ids = components(edit!.body as Body).map((c) => c.custom_id ?? '');
  const up = ids.find((c) => c.startsWith('sd:feedback-up:en:'));
  const down = ids.find((c) => c.startsWith('sd:feedback-down:en:'));
  if (!up || !down) throw new Error(`no feedback buttons in ${ids.join(', ')}`);
  return { up, down };
}

describe('feedback in Discord', () => {
  test('👎 answers only the presser with a category menu; the pick is stored with the disputed diagnosis', async () => {
    const { down } = await diagnosisButtons();
    const press = h.standin.pressButton(down);
    const answer = await callback(press);
    expect(answer.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.data?.flags).toBe(MessageFlags.Ephemeral);
    const menu = components(answer).find((c) => c.type === ComponentType.StringSelect);
    expect(menu?.options?.length).toBe(22);
    expect(menu?.options?.at(-1)).toEqual({ label: 'None of these', value: 'none' });

    const choose = h.standin.chooseInMenu(menu!.custom_id!, ['spam-content']);
    const update = await callback(choose);
    expect(update.type).toBe(InteractionResponseType.UpdateMessage);
    expect(update.data?.content).toMatch(/Thanks/);
    const items = await h.bot.feedback.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'disputed', platform: 'discord', userLabel: 'spam-content', answer: { category: 'relay-denied' } });
  });

  test('👍 is thanked, only to the presser, and keeps nothing', async () => {
    const before = (await h.bot.feedback.list()).length;
    const { up } = await diagnosisButtons();
    const answer = await callback(h.standin.pressButton(up));
    expect(answer.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(answer.data?.content).toMatch(/Thanks/);
    expect(await h.bot.feedback.list()).toHaveLength(before);
  });
});
