// POST /api/sync-failures: finance products report exports Xero refused. Registered only when
// CONCIERGE_API_KEY is set, so without a key the endpoint does not exist (404). Every record the
// answer calls accepted is already stored.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readBody, sendJson, type Route } from './http-server.ts';
import type { Logger } from './logger.ts';
import { MAX_FAILURES_PER_BATCH, recordSyncFailures, type RecordSyncFailuresDeps } from './support/record-sync-failures.ts';

export const SYNC_FAILURES_PATH = '/api/sync-failures';
/** 1,000 failures with their payloads and Xero bodies fit with room to spare. */
export const INTAKE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface IntakeRoutesOptions {
  apiKey: string;
  deps: RecordSyncFailuresDeps;
  logger: Logger;
  bodyLimitBytes?: number;
}

// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
}

export function intakeRoutes(options: IntakeRoutesOptions): Route[] {
  const log = options.logger.child({ component: 'intake' });
  const expected = digest(options.apiKey);
  const limit = options.bodyLimitBytes ?? INTAKE_BODY_LIMIT_BYTES;
  return [
    {
      method: 'POST',
      path: SYNC_FAILURES_PATH,
      async handle(req, res) {
        if (!authorized(req, expected)) {
          req.resume();
          return sendJson(res, 401, { error: 'unauthorized', message: 'Send the API key as "Authorization: Bearer <CONCIERGE_API_KEY>".' }, { 'www-authenticate': 'Bearer' });
        }
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json') {
          req.resume();
          return sendJson(res, 415, { error: 'unsupported_media_type', message: `Send JSON with "Content-Type: application/json" (got "${type || 'none'}").` });
        }
        const read = await readBody(req, limit);
        if (!read.ok) {
          if (read.reason === 'aborted') return void res.destroy();
          return sendJson(res, 413, { error: 'body_too_large', limit, message: `The body is over ${limit} bytes: send fewer failures per request.` }, { connection: 'close' });
        }
        let body: unknown;
        try {
          body = JSON.parse(read.body.toString('utf8'));
        } catch (error) {
          // JSON.parse names the position (and line and column) of the first bad character.
          return sendJson(res, 400, { error: 'invalid_json', message: `The body is not valid JSON: ${(error as Error).message}` });
        }
        const records = Array.isArray(body) ? body : [body];
        if (records.length === 0 || records.length > MAX_FAILURES_PER_BATCH) {
          return sendJson(res, 400, {
            error: 'batch_size',
            message: `Send one failure (an object) or a batch of 1 to ${MAX_FAILURES_PER_BATCH} (an array); this array has ${records.length}.`,
          });
        }
        const results = await recordSyncFailures(options.deps, records);
        const accepted = results.filter((r) => r.status === 'accepted').length;
        const rejected = results.length - accepted;
        log.info({ accepted, rejected }, 'sync failures received');
        // 422 only when nothing could be kept, so a client can tell "all refused" at a glance.
        sendJson(res, accepted === 0 ? 422 : 200, { accepted, rejected, results });
      },
    },
  ];
}
