/**
 * Drives a Bolt app in HTTP mode the way Slack does: signed event callbacks, slash commands and interaction
 * payloads POSTed to /slack/events on 127.0.0.1 (signature v0 = HMAC-SHA256 of "v0:timestamp:body").
 */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface SentResponse {
  status: number;
  body: string;
  ms: number;
}

let eventCounter = 0;

export class SlackDriver {
  constructor(
    private readonly port: number,
    private readonly secret = SIGNING_SECRET,
  ) {}

  sign(body: string, timestamp = Math.floor(Date.now() / 1000), secret = this.secret): Record<string, string> {
    return {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
    };
  }

  async post(body: string, contentType: string, headers: Record<string, string> = {}): Promise<SentResponse> {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${this.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...this.sign(body), ...headers },
      body,
    });
    return { status: res.status, body: await res.text(), ms: Date.now() - started };
  }

  /** An Events API callback; returns the body too, so that a test can deliver the very same event again. */
  eventBody(event: Record<string, unknown>, eventId = `Ev${++eventCounter}`): string {
    return JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
      event,
    });
  }

  async event(event: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SentResponse> {
    return this.post(this.eventBody(event), 'application/json', headers);
  }

  async command(text: string, responseUrl: string, fields: Record<string, string> = {}): Promise<SentResponse> {
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'test',
      channel_id: 'C1',
      channel_name: 'support',
      user_id: 'U1',
      user_name: 'alice',
      command: '/smtp-doctor',
      text,
      api_app_id: 'A1',
      response_url: responseUrl,
      trigger_id: '1.2.3',
      ...fields,
    }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  async interaction(payload: Record<string, unknown>): Promise<SentResponse> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }
}

let tsCounter = 0;
/** A message ts like Slack's ("seconds.micro"), unique within a test run. */
export const nextTs = (): string => `1700000000.${String(++tsCounter).padStart(6, '0')}`;
