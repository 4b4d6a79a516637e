/**
 * /healthz (the process is up), /readyz (connected and able to answer: the platforms started, the store answers,
 * not shutting down) and /metrics (Prometheus text). Served on Slack's HTTP port in HTTP mode (as Bolt custom
 * routes) and on METRICS_PORT otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

export interface Readiness {
  /** Why the instance is not ready, or undefined when it is. */
  notReady(): Promise<string | undefined>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface OpsRoute {
  path: string;
  method: 'GET';
  handler: RouteHandler;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function opsRoutes(metrics: Metrics, readiness: Readiness): OpsRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'ok\n') },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        readiness.notReady().then(
          (why) => (why ? send(res, 503, 'text/plain; charset=utf-8', `not ready: ${why}\n`) : send(res, 200, 'text/plain; charset=utf-8', 'ready\n')),
          () => send(res, 503, 'text/plain; charset=utf-8', 'not ready: readiness check failed\n'),
        );
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        metrics.registry.metrics().then(
          (text) => send(res, 200, metrics.registry.contentType, text),
          () => send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n'),
        );
      },
    },
  ];
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** The routes on a port of their own (METRICS_PORT), for Socket Mode, Discord and the terminal. */
export async function startOpsServer(routes: OpsRoute[], port: number, host: string): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (route) route.handler(req, res);
    else send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
