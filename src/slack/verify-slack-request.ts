// Is this request from Slack? The signature covers the timestamp and the body, and the timestamp
// must be within five minutes of our clock in both directions: Bolt only refuses old ones, so a
// signed request dated in the future would stay replayable until that date.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const timestampToleranceSeconds = 5 * 60;

export type SlackRequestRefusal = 'signature_missing' | 'timestamp_invalid' | 'timestamp_too_old' | 'timestamp_in_future' | 'signature_mismatch';

export interface SignedRequest {
  signingSecret: string;
  body: Buffer;
  /** X-Slack-Request-Timestamp, seconds since the epoch. */
  timestamp: string | undefined;
  /** X-Slack-Signature, `v0=<hex>`. */
  signature: string | undefined;
  nowMs: number;
}

/** Undefined when the request is genuine and fresh, else why it is refused. */
export function verifySlackRequest(request: SignedRequest): SlackRequestRefusal | undefined {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return 'signature_missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'timestamp_invalid';
  const skew = Number(timestamp) - Math.floor(request.nowMs / 1000);
  if (skew < -timestampToleranceSeconds) return 'timestamp_too_old';
  if (skew > timestampToleranceSeconds) return 'timestamp_in_future';
  const hmac = createHmac('sha256', request.signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(request.body);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature_mismatch';
}
