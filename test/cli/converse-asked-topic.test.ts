/**
 * A question about a topic that the intent model reads only faintly as "can't find it" or "tell me more" ("Do I have to
 * generate a Google app password for that address …?", "それってOP25Bっていうやつのことですか？") is answered on its
 * topic; a surely read "I can't find it" stays a follow-up about finding the setting.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const GMAIL = '535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials - gsmtp';
const RELAY = '554 5.7.1 Relay access denied';

describe('a question read faintly as a follow-up', () => {
  it('is answered on its topic (en, ja)', async () => {
    const out = await converse([
      ...dialogue('ap-en', GMAIL, 'Do I have to generate a Google app password for that address and not use its normal password?'),
      ...dialogue('op-ja', RELAY, 'それってOP25Bっていうやつのことですか？'),
    ]);
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[1]?.topic).toBe('app-passwords');
    expect(out[3]?.topic, out[3]?.text).toBe('op25b');
  });

  it('leaves a sure "I can\'t find it" a follow-up (en)', async () => {
    const out = await converse(dialogue('nf-en', GMAIL, "I can't find the app passwords option anywhere, where is it?"));
    expect(out[1]?.kind).toBe('followup');
  });
});
