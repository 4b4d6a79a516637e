/**
 * "I can't find that option" after an answer or a diagnosis that named a setting, through `converse --jsonl`, in both
 * languages: where the setting lives for the user's provider and app and what must be true before it shows (app
 * passwords need 2-step verification; Microsoft 365's Authenticated SMTP is switched by an administrator) — never the
 * checklist's first step, never the same reply twice. In the one-step checklist it is still a step that did not work.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue, type TurnIn, type TurnOut } from '../support/converse.js';

const GMAIL = 'Error: Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials';
const M365 = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.';

const NOT_FOUND = {
  ja: ['その項目が見つかりません', 'アプリパスワードの項目が見当たりません', '言われた項目がどこにもありません', 'セキュリティの画面を開いたけどアプリパスワードがないです', '項目が出てきません'],
  en: ["I don't see that option", "There's no App passwords option in my Google account", "I can't find that setting anywhere", 'where is that option?', 'the option isn\'t there for me'],
};

/** One conversation per wording: `setup` first, then the wording; returns the answers to the wordings. */
async function after(setup: string[], wordings: string[], prefix: string): Promise<TurnOut[]> {
  const turns: TurnIn[] = wordings.flatMap((w, i) => dialogue(`${prefix}${i}`, ...setup, w));
  const out = await converse(turns);
  return wordings.map((_, i) => out[i * (setup.length + 1) + setup.length] as TurnOut);
}

/** The checklist's first step, as the terminal prints its title. */
const CHECKLIST_STEP = /確認 1\/\d|Check 1\/\d|インターネットに接続できているか|Check that the device is online/;

describe('an option the user cannot find', () => {
  it('after an app-password answer with Gmail: the precondition (2-step verification) and Google\'s own facts, in Japanese', async () => {
    const out = await after(['アプリパスワードって何ですか？Gmailを使っています'], NOT_FOUND.ja, 'nf-ja');
    for (const o of out) {
      expect(o.kind, o.text).toBe('followup');
      expect(o.text, o.text).toMatch(/アプリ パスワード/);
      expect(o.text, o.text).toMatch(/2 段階認証/);
      expect(o.text, o.text).toContain('support.google.com');
      expect(o.text, o.text).not.toMatch(CHECKLIST_STEP);
    }
  });

  it('after a Gmail password refusal: where app passwords are and what they need, in English, not the next cause', async () => {
    const out = await after([GMAIL], NOT_FOUND.en, 'nf-en');
    for (const o of out) {
      expect(o.kind, o.text).toBe('followup');
      expect(o.provider).toBe('gmail');
      expect(o.text, o.text).toMatch(/Can't find app passwords/);
      expect(o.text, o.text).toMatch(/2-step verification/i);
      expect(o.text, o.text).not.toMatch(/Next likely cause/);
      expect(o.text, o.text).not.toMatch(CHECKLIST_STEP);
    }
  });

  it("after Microsoft 365's SMTP AUTH refusal: the switch is an administrator's, in both languages", async () => {
    const [en, ja] = await Promise.all([
      after([M365], ["I don't see Authenticated SMTP anywhere", 'where is that setting?', "I can't find Manage email apps"], 'nf-m365-en'),
      after([M365], ['Authenticated SMTPという項目がありません', 'その設定が見当たりません', '管理センターにその項目がないです'], 'nf-m365-ja'),
    ]);
    for (const o of en) {
      expect(o.kind, o.text).toBe('followup');
      expect(o.text, o.text).toMatch(/administrator/);
      expect(o.text, o.text).toContain('Authenticated SMTP');
    }
    for (const o of ja) {
      expect(o.kind, o.text).toBe('followup');
      expect(o.text, o.text).toMatch(/管理者/);
    }
  });

  it('asks for the mail service when the answer named an option no provider was given for', async () => {
    const out = await after(['What is an app password?'], ["I can't find it anywhere", "I don't see that option"], 'nf-noprov');
    for (const o of out) {
      expect(o.kind, o.text).toBe('followup');
      expect(o.text, o.text).toMatch(/2-step verification/);
      expect(o.text, o.text).toMatch(/which mail service/i);
    }
  });

  it("gives the way to the app's settings once the app is known, else asks for it", async () => {
    const out = await converse([
      ...dialogue('nf-app1', 'ポートは何番を使えばいいですか？', 'その設定がどこにあるかわかりません'),
      ...dialogue('nf-app2', 'Thunderbirdを使っています。ポートは何番を使えばいいですか？', 'その設定がどこにあるかわかりません'),
      ...dialogue('nf-app3', 'I use Thunderbird. Which port should I use?', "I can't find that setting anywhere"),
    ]);
    expect(out[1]?.kind).toBe('followup');
    expect(out[1]?.text).toMatch(/メールアプリ/);
    for (const o of [out[3], out[5]]) {
      expect(o?.kind, o?.text).toBe('followup');
      expect(o?.client).toBe('thunderbird');
      expect(o?.text, o?.text).toMatch(/→/);
      expect(o?.text, o?.text).not.toMatch(CHECKLIST_STEP);
    }
  });

  it('never repeats a reply when the user still cannot find it; the second time asks what the screen shows', async () => {
    const out = await converse([
      ...dialogue('nf-again', GMAIL, "I don't see that option", "I still can't find it", 'still not there'),
      ...dialogue('nf-again-ja', 'アプリパスワードって何ですか？Gmailです', 'その項目が見つかりません', 'まだ見つかりません', 'やっぱりダメです'),
    ]);
    for (const conv of [out.slice(0, 4), out.slice(4)]) {
      const texts = conv.slice(1).map((o) => o.text);
      expect(new Set(texts).size).toBe(texts.length);
      expect(conv[2]?.kind, conv[2]?.text).toBe('followup');
      expect(conv[2]?.text, conv[2]?.text).toMatch(/Still can't find|まだ「/);
      expect(conv[2]?.text, conv[2]?.text).toContain('support.google.com');
      expect(conv[2]?.text, conv[2]?.text).not.toMatch(CHECKLIST_STEP);
    }
    expect(out.every((o) => o.probeTarget === null)).toBe(true);
  });

  it('in the one-step checklist, a menu that is not there moves the list on', async () => {
    const out = await converse(dialogue('nf-list', 'チェックリストを見せて', 'その項目が見つかりません'));
    expect(out[0]?.kind).toBe('checklist');
    expect(out[1]?.kind).toBe('checklist');
    expect(out[1]?.text).not.toBe(out[0]?.text);
  });
});
