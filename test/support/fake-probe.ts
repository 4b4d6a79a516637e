/** A ProbeRunner stand-in for the chat adapter tests: reports progress in steps and records what it was asked, credentials too. */
import type { ProbeRequest } from '../../src/bot/core.js';
import type { ProbeCredentials, ProbeRunner } from '../../src/bot/probe-port.js';
import type { Reply } from '../../src/render/model.js';

export interface FakeProbeCall {
  request: ProbeRequest;
  credentials: ProbeCredentials | undefined;
}

export class FakeProbe implements ProbeRunner {
  readonly calls: FakeProbeCall[] = [];
  progressSent = 0;

  constructor(
    private readonly steps = 3,
    private readonly stepMs = 20,
  ) {}

  async run(request: ProbeRequest, onProgress?: (reply: Reply) => void, credentials?: ProbeCredentials): Promise<Reply> {
    this.calls.push({ request, credentials });
    const lines: string[] = [];
    for (let i = 1; i <= this.steps; i++) {
      if (this.stepMs > 0) await new Promise((r) => setTimeout(r, this.stepMs));
      lines.push(`step ${i} done`);
      this.progressSent += 1;
      onProgress?.({
        kind: 'probe-progress',
        lang: request.lang,
        title: `Testing ${request.target}`,
        summary: `${i} of ${this.steps}`,
        severity: 'info',
        sections: [{ heading: 'Progress', style: 'bullets', items: [...lines] }],
        actions: [],
      });
    }
    return {
      kind: 'probe',
      lang: request.lang,
      title: `Report for ${request.target}`,
      summary: credentials ? 'authentication accepted' : 'port 587 answers, STARTTLS works',
      severity: 'ok',
      sections: [{ heading: 'Ports', style: 'bullets', items: ['587: open · STARTTLS · AUTH PLAIN LOGIN'] }],
      actions: credentials ? [] : [{ id: 'auth-test', label: 'Test authentication', value: request.target }],
    };
  }
}
