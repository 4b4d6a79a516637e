/**
 * The bot's Prometheus metrics (prom-client), in a registry of their own so that tests and two bots in one process
 * never share counters. Labels are bounded sets (platform, reply kind, category, probe outcome): never a user, a
 * channel or message text.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Platform = 'slack' | 'discord';

export class Metrics {
  readonly registry = new Registry();
  readonly messagesSeen: Counter<'platform'>;
  readonly replies: Counter<'platform' | 'kind' | 'category'>;
  readonly addressed: Counter<'platform'>;
  readonly unknown: Counter<'platform'>;
  readonly ackLatency: Histogram<'platform'>;
  readonly rateLimited: Counter<'platform'>;
  readonly duplicatesDropped: Counter<'platform'>;
  readonly probeDuration: Histogram<'outcome'>;
  readonly feedback: Counter<'platform' | 'vote'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.messagesSeen = new Counter({ name: 'smtp_doctor_messages_seen_total', help: 'Messages the bot read (after dedupe)', labelNames: ['platform'], registers });
    this.replies = new Counter({
      name: 'smtp_doctor_replies_total',
      help: 'Replies sent, by reply kind and diagnosed category',
      labelNames: ['platform', 'kind', 'category'],
      registers,
    });
    this.addressed = new Counter({ name: 'smtp_doctor_addressed_total', help: 'Messages addressed to the bot (mention, DM, command)', labelNames: ['platform'], registers });
    this.unknown = new Counter({
      name: 'smtp_doctor_unknown_total',
      help: 'Addressed messages the bot did not understand (unknown rate = this / smtp_doctor_addressed_total)',
      labelNames: ['platform'],
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'smtp_doctor_ack_latency_seconds',
      help: 'From a platform request arriving to its acknowledgement (Slack: the HTTP or socket ack; Discord: the interaction callback; both allow 3 s)',
      labelNames: ['platform'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.rateLimited = new Counter({ name: 'smtp_doctor_rate_limited_total', help: 'HTTP 429 answers from the platform API', labelNames: ['platform'], registers });
    this.duplicatesDropped = new Counter({
      name: 'smtp_doctor_duplicates_dropped_total',
      help: 'Events delivered again (retries, a second event for one message) and not answered again',
      labelNames: ['platform'],
      registers,
    });
    this.probeDuration = new Histogram({
      name: 'smtp_doctor_probe_duration_seconds',
      help: 'Live probes, start to report',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
      registers,
    });
    this.feedback = new Counter({ name: 'smtp_doctor_feedback_total', help: 'Thumbs up and down on diagnoses', labelNames: ['platform', 'vote'], registers });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'smtp_doctor_' });
  }
}
