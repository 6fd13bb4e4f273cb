// GET <XERO_REDIRECT_URI's path>: where Xero sends the browser after consent, one route on the
// HTTP server's table.
import type { ServerResponse } from 'node:http';
import type { Route } from '../http-server.ts';
import type { Logger } from '../logger.ts';
import type { Result } from '../support/result.ts';
import type { CallbackError, CallbackInput, ConnectOutcome } from '../support/xero-connect.ts';
import { callbackProblems, connectedPage, page } from './callback-pages.ts';

export interface XeroCallbackDeps {
  redirectUri: string;
  complete(input: CallbackInput): Promise<Result<ConnectOutcome, CallbackError>>;
  /** Tells Slack; the page does not wait for it to matter. */
  report(outcome: ConnectOutcome): Promise<unknown>;
  logger: Logger;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export function xeroCallbackRoute(deps: XeroCallbackDeps): Route {
  const log = deps.logger.child({ component: 'xero-callback' });
  return {
    method: 'GET',
    path: new URL(deps.redirectUri).pathname,
    async handle(req, res) {
      const query = new URL(req.url ?? '/', 'http://callback').searchParams;
      const one = (name: string) => query.get(name) ?? undefined;
      try {
        const result = await deps.complete({ state: one('state'), code: one('code'), error: one('error') });
        if (!result.ok) {
          const problem = callbackProblems[result.error];
          log.info({ code: result.error }, 'xero callback refused');
          return send(res, problem.status, page(problem.title, problem.body));
        }
        send(res, 200, connectedPage(result.value.tenantNames));
        await deps.report(result.value).catch((error: unknown) => log.warn({ err: error }, 'could not report the connection in Slack'));
      } catch (error) {
        log.error({ err: error, code: 'xero_callback_failed' }, 'xero callback failed');
        if (!res.headersSent) send(res, 500, page('Something went wrong', 'Nothing was connected. Try again in a minute with a new link from Slack.'));
      }
    },
  };
}
