/**
 * Multi-turn dialogues through `converse --jsonl`, written as users write, in both languages: short first diagnoses,
 * "still failing" that never repeats a reply, the checklist one step at a time, the user's own app, questions
 * answered from knowledge (with a named provider's sourced facts), a short close, silence in a channel.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue, type TurnIn, type TurnOut } from '../support/converse.js';

const PASTES = {
  gmail: 'Error: Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials',
  relay: '554 5.7.1 <bob@example.com>: Relay access denied',
  timeout: 'Error: connect ETIMEDOUT 192.0.2.10:25',
  outlook: '送信 (SMTP) 電子メール サーバーに接続できません。(アカウント:example, SMTP サーバー:smtp.example.jp, エラー番号: 0x800CCC0E)',
  unknownUser: '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
  tls: 'Error: 80DC2D224F7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
  full: '552 5.2.2 <taro@example.jp>: Mailbox full',
};

/** One conversation per wording: `setup` first, then the wording; returns the answers to the wordings. */
async function afterEach(setup: string[], wordings: string[], prefix: string): Promise<TurnOut[]> {
  const turns: TurnIn[] = wordings.flatMap((w, i) => dialogue(`${prefix}${i}`, ...setup, w));
  const out = await converse(turns);
  return wordings.map((_, i) => out[i * (setup.length + 1) + setup.length] as TurnOut);
}

describe('first diagnoses are short', () => {
  it('fit a phone screen, with at most three steps and the follow-ups as words, in both languages', async () => {
    const pastes = Object.values(PASTES);
    const out = await converse([
      ...pastes.map((text, i) => ({ conversation: `short-en${i}`, text })),
      ...pastes.map((text, i) => ({ conversation: `short-ja${i}`, user: 'ja-user', text: i === 0 ? `日本語で ${text}` : text })),
    ], { SMTP_DOCTOR_LANG: 'ja' });
    for (const o of out) {
      expect(o.kind, o.text).toBe('diagnosis');
      expect(o.text.length, o.text).toBeLessThanOrEqual(650);
      expect((o.text.match(/^\d+\. /gm) ?? []).length, o.text).toBeLessThanOrEqual(3);
    }
    expect(out.filter((o) => o.lang === 'ja').every((o) => o.text.includes('詳しく / 次の原因 / チェックリスト'))).toBe(true);
  });

  it("quotes the user's own words, not a normalised form of them", async () => {
    const [o] = await converse(dialogue('words', PASTES.outlook));
    expect(o?.text).toContain('0x800CCC0E');
    expect(o?.text).not.toContain('送信smtp電子メールサーバ');
  });

  it('quotes each line of the paste once in the detail, not three overlapping pieces of it', async () => {
    const out = await converse(dialogue('ev', PASTES.gmail, 'more detail'));
    expect(out[1]?.kind).toBe('followup');
    const section = out[1]?.text.split('## What gave it away')[1]?.split('##')[0] ?? '';
    expect(section.match(/^- /gm)).toHaveLength(1);
    expect(section).toContain('Username and Password not accepted');
  });

  it('gives the steps in the mail app the user named, not in other apps', async () => {
    const out = await converse([
      ...dialogue('app1', 'iPhoneのメールで送れません', PASTES.gmail),
      ...dialogue('app2', 'Thunderbird: 535 5.7.8 Authentication credentials invalid'),
    ]);
    expect(out[1]?.client).toBe('ios-mail');
    expect(out[1]?.text).toMatch(/iPhone/);
    expect(out[1]?.text).not.toMatch(/Thunderbird|Outlook/);
    expect(out[2]?.client).toBe('thunderbird');
    expect(out[2]?.text).not.toMatch(/Outlook|iPhone/);
  });

  it("names a provider's app passwords when Gmail refuses the password", async () => {
    const [o] = await converse(dialogue('apppw', `${PASTES.gmail}\nパスワードは合ってるはずなのですが`));
    expect(o?.provider).toBe('gmail');
    expect(o?.text).toMatch(/アプリ パスワード|app password/i);
  });
});

describe('still failing', () => {
  const stillFailing = {
    ja: ['まだダメです', '確認しましたが、それでもダメでした', '587にしたけどまだダメです', '変わらずエラーが出ます', 'やってみたけど送れません', '同じエラーになります'],
    en: ['still failing', 'I changed it to 587 and it still fails', 'same error', "tried that, didn't work", 'Still not working'],
  };

  it('moves on to the next cause in every wording, never repeating a reply', async () => {
    for (const [lang, wordings] of Object.entries(stillFailing)) {
      const out = await afterEach([PASTES.gmail], wordings, `sf-${lang}`);
      for (const [i, o] of out.entries()) {
        expect(o.kind, `${wordings[i]} → ${o.text}`).toBe('followup');
        expect(o.entry, wordings[i]).not.toBe('auth-bad-credentials');
      }
    }
  });

  it('keeps giving something new, turn after turn', async () => {
    const turns = ['まだダメです', 'それでもダメでした', 'まだ送れません', 'だめでした', '変わりません', 'まだダメ', 'まだエラーです', 'だめです', 'まだダメです', 'それでもダメ'];
    const out = await converse(dialogue('loop', PASTES.relay, ...turns));
    const texts = out.map((o) => o.text);
    expect(new Set(texts).size).toBe(texts.length);
    for (const o of out.slice(1)) expect(['followup', 'checklist']).toContain(o.kind);
  });

  it('diagnoses a new error in the same thread anew, keeping what is known', async () => {
    const out = await converse(dialogue('anew', 'Thunderbirdで送れません', PASTES.gmail, PASTES.full));
    expect(out[1]).toMatchObject({ kind: 'diagnosis', category: 'auth-failed', client: 'thunderbird' });
    expect(out[2]).toMatchObject({ kind: 'diagnosis', category: 'mailbox-full', client: 'thunderbird', provider: 'gmail' });
  });
});

describe('the checklist, one step at a time', () => {
  it('starts at the first step and moves on with done / did not help, in both languages', async () => {
    const out = await converse([
      ...dialogue('cl-ja', 'チェックリスト', 'できた', 'だめだった', '1番は大丈夫でした', '次は?'),
      ...dialogue('cl-en', 'checklist please', 'done', "didn't help", 'next'),
    ]);
    const titles = out.map((o) => o.text.split('\n')[0] ?? '');
    expect(out.every((o) => o.kind === 'checklist')).toBe(true);
    expect(titles.slice(0, 5).map((t) => /確認 (\d)\/7/.exec(t)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    expect(titles.slice(5).map((t) => /Check (\d) of 7/.exec(t)?.[1])).toEqual(['1', '2', '3', '4']);
    for (const o of out) expect(o.text.length).toBeLessThanOrEqual(700);
  });

  it('says so when every step has been gone through', async () => {
    const out = await converse(dialogue('cl-end', 'checklist', 'done', 'done', 'done', 'done', 'done', 'done', 'done'));
    expect(out.at(-1)?.text).toMatch(/whole checklist/);
  });
});

describe('questions are answered from knowledge', () => {
  it('answers setup questions with their topic, in both languages', async () => {
    const cases: [string, string][] = [
      ['ポートは何番にすればいいですか？', 'smtp-ports'],
      ['465と587の違いは？', 'smtp-ports'],
      ['What port should I use for SMTP?', 'smtp-ports'],
      ['STARTTLSとSSL/TLSの違いは何ですか', 'ssl-tls-starttls'],
      ["what's the difference between SSL/TLS and STARTTLS?", 'ssl-tls-starttls'],
      ['SMTP認証って何', 'smtp-auth'],
      ['POP before SMTPとは', 'pop-before-smtp'],
      ['OP25Bって何ですか', 'op25b'],
    ];
    const out = await converse(cases.map(([text], i) => ({ conversation: `q${i}`, text })));
    expect(out.map((o) => [o.kind, o.topic])).toEqual(cases.map(([, topic]) => ['answer', topic]));
    expect(out[2]?.lang).toBe('en');
    expect(out[0]?.lang).toBe('ja');
  });

  it("answers with a named provider's own servers, with the source and the day they were checked", async () => {
    const out = await converse([...dialogue('gm', 'Gmailの送信サーバーの設定は？'), ...dialogue('gm-en', 'What are the SMTP settings for Gmail?')]);
    for (const o of out) {
      expect(o.provider).toBe('gmail');
      expect(o.kind).toBe('answer');
      expect(o.text).toContain('smtp.gmail.com');
      expect(o.text).toMatch(/https:\/\/\S+/);
      expect(o.text).toMatch(/20\d\d-\d\d-\d\d/);
    }
  });
});

describe('the mail app, and closing', () => {
  it("shows where to change it in the app the user asks about, from that app's sourced menu paths", async () => {
    const out = await converse([
      ...dialogue('wa1', PASTES.gmail, 'Thunderbirdの場合はどこを直せばいいですか？'),
      ...dialogue('wa2', PASTES.timeout, 'Where do I change this in Outlook?'),
    ]);
    expect(out[1]).toMatchObject({ kind: 'followup', client: 'thunderbird' });
    expect(out[1]?.text).toMatch(/Account Settings|アカウント設定/);
    expect(out[1]?.text).toMatch(/https?:\/\//);
    expect(out[3]?.kind).toBe('followup');
    expect(out[3]?.client).toMatch(/^outlook/);
  });

  it('closes briefly when it is solved or the user says thanks', async () => {
    const wordings = ['直りました！ありがとうございます', '送れました！', 'ありがとうございました', 'it works now, thanks!', 'Thanks!', 'fixed it'];
    const out = await afterEach([PASTES.relay], wordings, 'close');
    for (const [i, o] of out.entries()) {
      expect(o.kind, wordings[i]).toBe('closing');
      expect(o.text.length).toBeLessThan(200);
    }
  });

  it('closes on a thanks followed by a plan or the cause, and on a fix told in words', async () => {
    const wordings = ['調査ありがとうございます。メールサーバの設定を確認してみます。', 'ご回答ありがとうございます。送信元のアドレスを変えていたのが原因でした。', 'アプリパスワードを作ってそれを入れたら送れました'];
    const out = await afterEach([PASTES.relay], wordings, 'close2');
    for (const [i, o] of out.entries()) expect(o.kind, wordings[i]).toBe('closing');
    // A fix named with an error's own words, then that it works, in one sentence: a close; an error after the fix is none.
    const told = await converse([
      ...dialogue('close4', PASTES.gmail, 'アプリパスワードを作ってメールソフトに入れ直したら、ちゃんと送れるようになりました'),
      ...dialogue('close5', PASTES.gmail, 'fixed the password, now I get: Error: self signed certificate in certificate chain'),
    ]);
    expect(told[1]?.kind).toBe('closing');
    expect(told[3]?.kind).toBe('diagnosis');
    // A question after the thanks is still answered.
    const asked = await afterEach([PASTES.relay], ['ありがとうございます。SPFとは何ですか？'], 'close3');
    expect(asked[0]?.kind).toBe('answer');
  });
});

describe('in a channel', () => {
  it('stays silent for chat, answers a paste, and follows up in the thread it is part of', async () => {
    const out = await converse([
      { conversation: 't1', text: 'お昼どうする？', addressed: false },
      { conversation: 't2', text: PASTES.unknownUser, addressed: false },
      { conversation: 't2', text: 'まだダメです', addressed: false },
      { conversation: 't2', text: 'あとで会議室に来てください', addressed: false },
    ]);
    expect(out.map((o) => o.kind)).toEqual(['silence', 'diagnosis', 'followup', 'silence']);
  });

  it('follows up only with the person it has been helping; another person chiming in is left alone', async () => {
    const out = await converse([
      { conversation: 'p1', user: 'aki', text: PASTES.unknownUser, addressed: true },
      { conversation: 'p1', user: 'ben', text: 'まだダメです、うちも同じです', addressed: false },
      { conversation: 'p1', user: 'aki', text: 'まだダメです', addressed: false },
      // Asked by name, the other person is answered.
      { conversation: 'p1', user: 'ben', text: 'SPFとは何ですか？', addressed: true },
    ]);
    expect(out.map((o) => o.kind)).toEqual(['diagnosis', 'silence', 'followup', 'answer']);
  });
});

describe('a trouble told in words', () => {
  it('starts with the first step and asks one question; the answer to it tailors the same step', async () => {
    const out = await converse([
      ...dialogue('sy1', '急に送れなくなりました。パスワードは変えていません', 'Outlookです'),
      ...dialogue('sy2', "My emails won't send from Thunderbird since this morning", 'Gmail'),
    ]);
    expect(out[0]?.kind).toBe('symptom');
    // Not the password step: the user said it did not change.
    expect(out[0]?.text.split('\n')[2]).not.toMatch(/パスワード/);
    expect(out[0]?.text).toMatch(/どのメールアプリ/);
    expect(out[1]).toMatchObject({ kind: 'followup', client: 'outlook-classic' });
    expect(out[1]?.text).toContain('Outlook');
    expect(out[2]).toMatchObject({ kind: 'symptom', client: 'thunderbird' });
    expect(out[2]?.text).toMatch(/Which mail service/);
    expect(out[3]).toMatchObject({ kind: 'followup', provider: 'gmail' });
    expect(out[3]?.text).toContain('Gmail');
  });

  it('takes more of the trouble told after an answer as a follow-up, and a first message that works only in part as a trouble', async () => {
    const out = await converse([
      ...dialogue('sy3', 'アプリパスワードって何ですか？', '詳しく言うと、受信はできるのに送信だけできないんです'),
      ...dialogue('sy4', 'Tried telnet to the mail server on port 25 and it times out. Tried 587 and it works.'),
    ]);
    expect(out[0]?.kind).toBe('answer');
    expect(out[1]?.kind).toBe('followup');
    expect(['symptom', 'diagnosis']).toContain(out[2]?.kind);
  });

  it('goes on with the trouble when a turn in its middle says nothing it can place: the one narrowing question, once', async () => {
    const out = await converse(dialogue('gn1', "My emails won't send since this morning", "I don't have SMTP debugging in the config.", 'There is no debug option either.'));
    expect(out[1]?.kind).toBe('followup');
    expect(out[1]?.text).toMatch(/Which mail app/);
    // Not the same question again.
    expect(out[2]?.text).not.toMatch(/Let's narrow it down/);
  });

  it('diagnoses an error message pasted without a code, even when its words read like a question', async () => {
    const pastes = [
      '送信 (SMTP) サーバー mail.example.co.jp の認証に失敗しました。パスワードを確認し、[アカウント設定] の [送信 (SMTP) サーバー] で [認証方式] が正しいことを確認してください。',
      'msmtp: the server does not support authentication',
      'Outbound port 25 is blocked by your ISP. Use the submission port 587 instead.',
    ];
    const out = await converse(pastes.map((text, i) => ({ conversation: `np${i}`, text })));
    expect(out.map((o) => o.kind)).toEqual(['diagnosis', 'diagnosis', 'diagnosis']);
  });
});

describe('after a diagnosis, the turn is what it says', () => {
  it('a question is answered, a test request names its server, a step that failed moves on — not a new diagnosis', async () => {
    const out = await converse([
      ...dialogue('ad1', PASTES.gmail, 'starttls vs ssl'),
      ...dialogue('ad2', PASTES.relay, 'Outbound Port 25 Blockingとは'),
      ...dialogue('ad3', PASTES.outlook, 'test the connection to mail.example.com'),
      ...dialogue('ad4', PASTES.gmail, 'アプリパスワードを作ろうとしたら項目がありません'),
      ...dialogue('ad5', PASTES.gmail, 'ポートは587、暗号化はSTARTTLSにしました。でもまだ送れません'),
    ]);
    expect(out[1]).toMatchObject({ kind: 'answer', topic: 'ssl-tls-starttls' });
    expect(out[3]).toMatchObject({ kind: 'answer', topic: 'op25b' });
    expect(out[5]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.com' });
    expect(out[7]?.kind).toBe('followup');
    expect(out[9]?.kind).toBe('followup');
  });
});


describe('turns that only make sense in the conversation', () => {
  it('"what can I do about it?" after a diagnosis asks more about that cause, not how to use the bot', async () => {
    const out = await afterEach([PASTES.relay], ['what can I do about it?', 'so how do I fix that?', 'じゃあ私は何をすればいいですか', 'それってどうやって直すんですか'], 'wd');
    for (const o of out) expect(o).toMatchObject({ kind: 'followup', entry: expect.any(String) });
    const help = await converse([{ conversation: 'wd-help', text: 'what can you do?' }]);
    expect(help[0]?.kind).toBe('help');
  });

  it('a first message naming the app with a trouble is the trouble, told with the app', async () => {
    const texts = ['さくらのレンタルサーバのメールをiPhoneで使ってるけど送信だけできない', 'Thunderbirdで送信だけできなくなりました'];
    const out = await converse(texts.map((text, i) => ({ conversation: `fa${i}`, text })));
    for (const [i, o] of out.entries()) expect(o.kind, texts[i]).toBe('symptom');
    expect(out[0]).toMatchObject({ client: 'ios-mail', provider: 'sakura' });
  });

  it('"still failing" after an answer is a follow-up that starts the search', async () => {
    const out = await converse([...dialogue('sa1', 'ポートは何番にすればいいですか？', 'だめでした'), ...dialogue('sa2', 'What port should I use for SMTP?', 'still not working')]);
    expect(out[0]?.kind).toBe('answer');
    expect(out[1]?.kind).toBe('followup');
    expect(out[2]?.kind).toBe('answer');
    expect(out[3]?.kind).toBe('followup');
  });
});

describe('in the checklist', () => {
  it('a trouble told again in other words answers the step shown (it did not help): the next step as a follow-up, not the introduction', async () => {
    const out = await converse([
      ...dialogue('ck1', 'メールが送れません', 'エラーは出ないけど送信中のまま固まってます'),
      ...dialogue('ck2', "I can't send email", 'no error, it just sits in the outbox forever'),
    ]);
    for (const i of [1, 3]) {
      // The user told a trouble and never asked for the checklist: the search for the cause goes on.
      expect(out[i]?.kind).toBe('followup');
      expect(out[i]?.text).toMatch(/確認 2\/7|Check 2 of 7/);
    }
    // A provider named there tailors the step instead; a plan is no failed step.
    const named = await converse(dialogue('ck3', 'メールが送れません', 'Gmailから送ってます'));
    expect(named[1]?.text).not.toMatch(/確認 2\/7/);
  });
});
