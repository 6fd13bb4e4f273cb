// /healthz (liveness: the process answers) and /readyz (readiness: its checks pass and it is
// not shutting down), for orchestrators and load balancers.
import { sendJson, type Route } from './http-server.ts';

export interface ReadinessCheck {
  ok: boolean;
  /** What is wrong and what to do, when not ok. */
  detail?: string;
}

export type ReadinessProbe = () => Promise<Record<string, ReadinessCheck>>;

export interface HealthRoutesOptions {
  readiness: ReadinessProbe;
  /** True while the server shuts down: not ready any more, so traffic moves elsewhere. */
  isClosing: () => boolean;
  /** How long /readyz waits for its checks before calling them failed. */
  timeoutMs?: number;
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(options: HealthRoutesOptions): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      async handle(_req, res) {
        const checks = await withTimeout(
          options.readiness().catch((error: unknown) => ({ readiness: { ok: false, detail: error instanceof Error ? error.message : String(error) } })),
          options.timeoutMs ?? 3_000,
          () => ({ readiness: { ok: false, detail: 'checks did not answer in time' } }),
        );
        const closing = options.isClosing();
        const ok = !closing && Object.values(checks).every((c) => c.ok);
        sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : closing ? 'shutting_down' : 'not_ready', checks });
      },
    },
  ];
}
