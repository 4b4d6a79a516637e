/** Pastes of sends the server accepted at every step: the engine must find no failure in them. */

/** A swaks session over STARTTLS with AUTH, every reply a success. */
export const ACCEPTED_SWAKS = [
  '<-  220 smtp.example.jp ESMTP Postfix',
  ' -> EHLO host.example.jp',
  '<-  250-STARTTLS',
  ' -> STARTTLS',
  '<-  220 2.0.0 Ready to start TLS',
  '<~  235 2.7.0 Authentication successful',
  '<~  250 2.1.5 Ok',
  '<~  250 2.0.0 Ok: queued as 4F2A11C0',
  '<~  221 2.0.0 Bye',
].join('\n');

/** Postfix's log line of a delivered message. */
export const ACCEPTED_POSTFIX =
  'Dec  7 10:00:01 mail postfix/smtp[2211]: 4F2A11C0: to=<b@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.5, dsn=2.0.0, status=sent (250 2.0.0 OK queued)';

/** The session's steps up to AUTH, then a relay refusal: a failure after accepted steps. */
export const REFUSED_AFTER_ACCEPTED = `${ACCEPTED_SWAKS.split('\n').slice(0, 6).join('\n')}\n<~  554 5.7.1 <b@example.com>: Relay access denied`;
