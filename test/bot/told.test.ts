/**
 * Facts told in passing narrow the search (knowledge/context.yaml `told`): "receiving works" rules out the network
 * check, a security product named brings its causes first, port 25 brings OP25B first after a connection error, and a
 * fact taken back in the same turn ("no antivirus") counts for nothing.
 */
import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const turn = (text: string, conversation: string): Incoming => ({ text, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1', conversation });

async function talk(conversation: string, ...texts: string[]) {
  const bot = new Bot(index);
  const out = [];
  for (const text of texts) out.push(await bot.handle(turn(text, conversation)));
  return { out, state: await bot.conversation(conversation) };
}

describe('facts told in passing', () => {
  it.each([
    ['ja', 'iPhoneで会社のメールが送れなくなりました。受信はできます'],
    ['ja', '送信だけできないんです、何が悪いんでしょう'],
    ['en', "Mail won't send from my laptop. Receiving is fine though"],
  ])('%s: "%s" starts past the network check', async (_lang, text) => {
    const { out, state } = await talk(`told-r-${text.length}`, text);
    expect(out[0]?.type === 'reply' && out[0].turn?.kind).toBe('symptom');
    expect(state.checklistShown).not.toContain('network');
    expect(state.checklistShown).toHaveLength(1);
  });

  it('ja: a security product named after a connection error brings the firewall cause first', async () => {
    const { out } = await talk('told-s-ja', 'Thunderbirdで送信しようとすると「SMTPサーバーへの接続中にエラーが発生しました」と出ます', 'ちなみにウイルスバスターを入れています');
    expect(out[0]?.type === 'reply' && out[0].turn?.category).toBe('smtp-unreachable');
    expect(out[1]?.type === 'reply' && out[1].turn?.entry).toBe('firewall-blocking-smtp');
  });

  it('en: a security product named after a dropped connection brings the outgoing-mail scan first', async () => {
    const { out } = await talk('told-s-en', 'Error: Connection closed unexpectedly while sending (ECONNRESET)', "still failing. I'm running Avast on this PC if that matters");
    expect(out[0]?.type === 'reply' && out[0].turn?.category).toBe('connection-dropped');
    expect(out[1]?.type === 'reply' && out[1].turn?.entry).toBe('security-software-interference');
  });

  it('port 25 told after a connection error brings OP25B first, in either language', async () => {
    for (const [id, texts] of [
      ['told-p-ja', ['Thunderbirdで送信しようとすると「SMTPサーバーへの接続中にエラーが発生しました」と出ます', '送信ポートは25になってました。まだダメです']],
      ['told-p-en', ['connect ETIMEDOUT 203.0.113.5:587', 'I switched the port to 25 and it still times out']],
    ] as const) {
      const { out } = await talk(id, ...texts);
      expect(out[1]?.type === 'reply' && out[1].turn?.entry, id).toBe('op25b-port-25-blocked');
    }
  });

  it('port 587 or 465 told is the port check done: the checklist never shows it', async () => {
    const { state } = await talk('told-587', '送信だけできません。ポートは587にしています', 'だめでした', 'だめでした', 'だめでした', 'だめでした');
    // Receiving works: no network check; port 587: no port check; the settings only sending uses come first.
    expect(state.checklistShown).toEqual(['smtp-auth-tls', 'server-name', 'credentials', 'security-software', 'provider']);
  });

  it.each([
    ['ja', 'iCloudのアドレスをWindowsのOutlookで使ってますが送れません', 'App 用パスワード'],
    ['en', 'My Gmail account in Thunderbird stopped sending today', 'app password'],
  ])('%s: a provider that signs mail apps in its own way starts at the sign-in check, with its own fact', async (_lang, text, fact) => {
    const { out, state } = await talk(`told-i-${text.length}`, text);
    expect(state.checklistShown).toEqual(['credentials']);
    const reply = out[0]?.type === 'reply' ? JSON.stringify(out[0].reply) : '';
    expect(reply).toContain(fact);
  });

  it('a fact told as a step\'s result brings its cause, whatever else the turn reads as', async () => {
    const { out } = await talk('told-d-ja', 'Outlook使ってます。エラーは0x800CCC0Eです', 'ポートは25になってました');
    expect(out[0]?.type === 'reply' && out[0].turn?.category).toBe('smtp-unreachable');
    expect(out[1]?.type === 'reply' && out[1].turn).toMatchObject({ kind: 'followup', entry: 'op25b-port-25-blocked' });
  });

  it('a fact taken back in the same turn counts for nothing', async () => {
    const { state } = await talk('told-n', 'Thunderbirdで送信しようとすると「SMTPサーバーへの接続中にエラーが発生しました」と出ます', 'ウイルス対策ソフトは入れていません。まだ送れません');
    expect(state.told).not.toContain('security-software');
  });
});
