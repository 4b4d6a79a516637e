/** Files through the platform-neutral bot: which kind of bounce gets which answer, and when a channel gets silence. */
import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { answerFile } from '../../src/bot/file.js';
import { renderText } from '../../src/render/text.js';
import { fixture } from '../support/files.js';
import { realIndex } from '../support/kb.js';

const bot = new Bot(realIndex());
const dm = (text = ''): Incoming => ({ text, place: 'direct', addressed: false, userId: 'U1', channelId: 'D1' });
const channel = (text = ''): Incoming => ({ text, place: 'channel', addressed: false, userId: 'U2', channelId: 'C1' });

async function answer(msg: Incoming, name: string): Promise<string> {
  const outcome = await answerFile(bot, msg, { name }, fixture(name));
  return outcome.type === 'reply' ? renderText(outcome.reply) : `(${outcome.type})`;
}

describe('answerFile', () => {
  it('a delay notice says it is not a failure yet, in the language of the message', async () => {
    const en = await answer(dm('what does this mean?'), 'bounce-delay.eml');
    expect(en).toContain('Delivery to 1 of 1 recipients is delayed');
    expect(en).toContain('not a failure yet');
    expect(en).toContain('Original message: "Weekly report"');
    const ja = await answer(dm('これは何ですか'), 'bounce-delay.eml');
    expect(ja).toContain('1 件中 1 件の配信が遅れています');
  });

  it('an auto-reply and a spam complaint are explained when asked, and pass unremarked in a channel', async () => {
    expect(await answer(dm('?'), 'auto-reply.eml')).toContain('This is an auto-reply, not a delivery failure');
    expect(await answer(dm('これは？'), 'arf.eml')).toContain('迷惑メールの報告（フィードバックループ）です');
    expect(await answer(channel(), 'auto-reply.eml')).toBe('(silent)');
    expect(await answer(channel(), 'arf.eml')).toBe('(silent)');
  });

  it('a failure is answered in a channel too, unasked', async () => {
    const text = await answer(channel(), 'bounce-exim.eml');
    expect(text).toContain('1 of 1 recipients failed');
    expect(text).toContain('Server: mx.example.com');
  });

  it('a file that is not text: a clear message when asked, silence in a channel', async () => {
    const asked = await answerFile(bot, dm('見てください'), { name: 'shot.png' }, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(asked.type === 'reply' && asked.reply.summary).toBe('このファイルは読めません。テキスト（.txt・.log）か、メール（.eml）を送ってください。');
    expect((await answerFile(bot, channel(), { name: 'shot.png' }, Buffer.from([0x89, 0x50]))).type).toBe('silent');
  });
});
