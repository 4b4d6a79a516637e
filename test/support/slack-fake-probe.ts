/** A ProbeRunner stand-in for the Slack tests: records what it was asked (credentials included) and reports progress. */
import type { ProbeRequest } from '../../src/bot/core.js';
import type { ProbeCredentials, ProbeRunner } from '../../src/bot/probe-port.js';
import type { Reply } from '../../src/render/model.js';

export interface FakeProbeCall {
  request: ProbeRequest;
  credentials?: ProbeCredentials;
}

export class FakeProbe implements ProbeRunner {
  readonly calls: FakeProbeCall[] = [];

  constructor(
    private readonly steps = 3,
    private readonly stepMs = 0,
  ) {}

  async run(request: ProbeRequest, onProgress?: (reply: Reply) => void, credentials?: ProbeCredentials): Promise<Reply> {
    this.calls.push(credentials ? { request, credentials } : { request });
    const lines: string[] = [];
    for (let i = 1; i <= this.steps; i++) {
      if (this.stepMs > 0) await new Promise((r) => setTimeout(r, this.stepMs));
      lines.push(`step ${i} done`);
      onProgress?.({ kind: 'probe-progress', lang: request.lang, title: `Probing ${request.target}`, summary: `${i}/${this.steps}`, severity: 'info', sections: [{ heading: '', style: 'bullets', items: [...lines] }], actions: [] });
    }
    return {
      kind: 'probe',
      lang: request.lang,
      title: `Report for ${request.target}`,
      summary: credentials ? 'AUTH accepted' : 'All ports answered',
      severity: 'ok',
      sections: [{ heading: 'Ports', style: 'bullets', items: ['587: open · STARTTLS · AUTH PLAIN LOGIN'] }],
      actions: credentials ? [] : [{ id: 'auth-test', label: 'Test authentication', value: request.target }],
    };
  }
}
