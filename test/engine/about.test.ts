import { describe, expect, it } from 'vitest';
import { aboutMatcher } from '../../src/engine/about.js';
import { read } from '../../src/engine/diagnose.js';
import { buildIndex } from '../../src/engine/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

const kb = loadKnowledge();
const index = buildIndex(kb);

describe('what a paste is about besides mail', () => {
  it('marks errors of databases, git, web requests and packages that name nothing of mail', () => {
    for (const t of ['psql: error: FATAL: password authentication failed for user "app"', "remote: Invalid username or password. fatal: Authentication failed for 'https://github.com/example/repo.git/'", 'npm ERR! code CERT_HAS_EXPIRED', 'Could not connect to Redis at 127.0.0.1:6379: Connection refused', 'ブラウザで証明書の有効期限が切れていますと表示される']) {
      expect(read(index, t).otherOnly, t).toBe(true);
    }
  });
  it('does not mark a mail error, whatever else it names', () => {
    for (const t of ['docker container cannot send mail: connect ECONNREFUSED 127.0.0.1:587', 'curl: (67) Login denied (smtp)', 'git send-email: 535 5.7.8 Username and Password not accepted', 'Redis queue worker failed: 550 5.7.1 Relay access denied', 'ブラウザからは見られるのにメールが送れません']) {
      expect(read(index, t).otherOnly, t).toBe(false);
    }
  });
  it('finds ASCII words only standing alone', () => {
    const m = aboutMatcher({ mail: ['mail'], other: ['git', 'sql server'] });
    expect(m.otherOnly('a digit is missing')).toBe(false);
    expect(m.otherOnly('git push failed')).toBe(true);
    expect(m.otherOnly('sql  server login failed')).toBe(true);
    expect(m.otherOnly('git send-email: mail not sent')).toBe(false);
  });
});
