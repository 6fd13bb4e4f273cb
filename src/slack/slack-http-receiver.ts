// Slack's HTTP endpoint, in front of Bolt (a Bolt Receiver). We use our own rather than Bolt 5.1's
// HTTPReceiver because that one leaves the socket open when a signed body parses to something
// other than an object (`payload=null`), accepts timestamps from the future, and answers 500 to
// payloads it cannot route. Here every request gets an answer within Slack's 3 seconds: 413 too
// big, 401 not from Slack, 400 malformed (with a warning that says why), otherwise what the
// listener acknowledged with, or 404 when no listener acknowledged (as Bolt does).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from './bolt.ts';
import { readBody, sendJson } from '../http-server.ts';
import type { Logger } from '../logger.ts';
import { checkEnvelope, parseSlackBody } from './slack-envelope.ts';
import { verifySlackRequest } from './verify-slack-request.ts';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  bodyLimitBytes: number;
  /** Un-acknowledged requests are answered after this long; Slack gives up after 3 seconds. */
  ackTimeoutMs?: number;
  now?: () => number;
}

export interface SlackHttpReceiver extends Receiver {
  /** The POST /slack/events handler. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export const defaultAckTimeoutMs = 2_500;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Bolt's ack bodies: nothing, a string, or an object sent as JSON. */
function sendAck(res: ServerResponse, body: unknown): void {
  if (body === undefined || body === '') res.writeHead(200).end();
  else if (typeof body === 'string') res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  else sendJson(res, 200, body);
}

export function createSlackHttpReceiver(options: SlackHttpReceiverOptions): SlackHttpReceiver {
  const log = options.logger.child({ component: 'slack-receiver' });
  const now = options.now ?? Date.now;
  const ackTimeoutMs = options.ackTimeoutMs ?? defaultAckTimeoutMs;
  let app: App | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, options.bodyLimitBytes);
    if (!read.ok) {
      if (read.reason === 'aborted') return void res.destroy();
      log.warn({ limit: options.bodyLimitBytes }, 'refused a Slack request body over the size limit');
      return sendJson(res, 413, { error: 'body_too_large', limit: options.bodyLimitBytes }, { connection: 'close' });
    }
    const raw = read.body.toString('utf8');
    const contentType = header(req, 'content-type');
    // Parsed once, for this check and for the body below.
    const form = contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(raw) : undefined;
    // Slack checks the certificate with an unsigned `ssl_check=1`; answer it, process nothing.
    if (form?.get('ssl_check') === '1') return void res.writeHead(200).end();

    const refusal = verifySlackRequest({
      signingSecret: options.signingSecret,
      body: read.body,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      nowMs: now(),
    });
    if (refusal) {
      log.warn({ code: refusal }, 'refused a request that is not a fresh, signed Slack request');
      return sendJson(res, 401, { error: refusal });
    }

    const parsed = parseSlackBody(raw, contentType, form);
    const envelope = parsed.ok ? checkEnvelope(parsed.body) : parsed;
    if (!parsed.ok || !envelope.ok) {
      const reason = envelope.ok ? '' : envelope.reason;
      log.warn({ code: 'slack_payload_malformed', reason }, 'refused a malformed Slack payload');
      return sendJson(res, 400, { error: 'malformed_payload', detail: reason });
    }
    const body = parsed.body;
    if (envelope.kind === 'url_verification') return sendJson(res, 200, { challenge: body.challenge });
    if (envelope.kind === 'app_rate_limited') {
      log.warn({ minute: body.minute_rate_limited }, 'Slack is rate-limiting the events it sends this app');
      return void res.writeHead(200).end();
    }
    await dispatch(req, res, body, envelope.kind);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, kind: string): Promise<void> {
    let acked = false;
    const unacknowledged = (why: string) => {
      if (acked || res.headersSent) return;
      acked = true;
      log.warn({ kind, code: 'slack_request_not_acknowledged' }, why);
      res.writeHead(404).end();
    };
    const timer = setTimeout(() => unacknowledged('a Slack request was not acknowledged in time'), ackTimeoutMs);
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) {
          if (res.headersSent) return;
          throw new ReceiverMultipleAckError();
        }
        acked = true;
        clearTimeout(timer);
        sendAck(res, response);
      },
      ...(retry && /^\d{1,4}$/.test(retry) ? { retryNum: Number(retry) } : {}),
      ...(header(req, 'x-slack-retry-reason') ? { retryReason: header(req, 'x-slack-retry-reason')!.slice(0, 100) } : {}),
    };
    try {
      if (!app) throw new Error('the Slack receiver has no app yet');
      await app.processEvent(event);
      // Every listener has run; nobody acknowledged, so nobody will.
      unacknowledged('no listener acknowledged a Slack request');
    } catch (error) {
      log.warn({ err: error, kind, code: 'slack_payload_unroutable' }, 'Bolt could not process a Slack payload');
      if (!acked && !res.headersSent) {
        acked = true;
        sendJson(res, 400, { error: 'malformed_payload' });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    init(boltApp: App) {
      app = boltApp;
    },
    // The shared HTTP server listens; nothing to start or stop here.
    start: async () => {},
    stop: async () => {},
    handle,
  };
}
