// xero-node fails in three shapes: openid-client errors (token calls), axios errors (its
// /connections helpers) and JSON strings (every Accounting API call). All of them become one
// XeroError with a snake_case code here, and Xero's rate-limit headers are read here only.
import { errors } from 'openid-client';
import { XeroError, type RateLimitProblem, type XeroRateHeadroom } from '../support/xero-gateway.ts';

type Headers = Record<string, unknown> | undefined;

function header(headers: Headers, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

function count(headers: Headers, name: string): number | undefined {
  const value = header(headers, name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Calls left in each of Xero's windows, as its response headers say. */
export function readHeadroom(headers: Headers): XeroRateHeadroom {
  return {
    minuteRemaining: count(headers, 'x-minlimit-remaining'),
    dayRemaining: count(headers, 'x-daylimit-remaining'),
    appMinuteRemaining: count(headers, 'x-appminlimit-remaining'),
  };
}

const problems: Record<string, RateLimitProblem> = { minute: 'minute', day: 'day', appminute: 'app', concurrent: 'concurrent' };

function retryAfterMs(headers: Headers): number {
  const value = header(headers, 'retry-after');
  // Xero sends whole seconds; a time-scaled fake sends fractions.
  if (value && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = value ? Date.parse(value) : NaN;
  // Xero always sends seconds; a minute is the safe guess when it does not.
  return Number.isNaN(date) ? 60_000 : Math.max(0, date - Date.now());
}

interface XeroBody {
  Detail?: string;
  Title?: string;
  Message?: string;
  Elements?: Array<{ ValidationErrors?: Array<{ Message?: string }> }>;
}

function asBody(body: unknown): XeroBody {
  if (typeof body === 'string') {
    try {
      return asBody(JSON.parse(body));
    } catch {
      return { Detail: body.slice(0, 200) };
    }
  }
  return body && typeof body === 'object' ? (body as XeroBody) : {};
}

/** An HTTP answer from Xero that was not a success. */
export function fromHttpStatus(status: number, rawBody: unknown, headers: Headers, what: string): XeroError {
  const body = asBody(rawBody);
  const detail = body.Detail ?? body.Message ?? body.Title ?? '';
  const base = { status, headroom: readHeadroom(headers) };
  if (status === 401) return new XeroError('unauthorized', `Xero refused the access token for ${what} (401 ${detail})`, base);
  if (status === 403) {
    // Xero answers 403 AuthenticationUnsuccessful when the token does not cover the tenant.
    if (/AuthenticationUnsuccessful/i.test(detail)) return new XeroError('tenant_not_connected', `The organisation is not connected to this authorization (${what})`, base);
    return new XeroError('forbidden', `Xero refused ${what} (403 ${detail})`, base);
  }
  if (status === 404) return new XeroError('not_found', `Xero found nothing for ${what} (404)`, base);
  if (status === 429) {
    const problem = problems[(header(headers, 'x-rate-limit-problem') ?? '').toLowerCase()] ?? 'minute';
    return new XeroError('rate_limited', `Xero rate limit (${problem}) hit on ${what}`, { ...base, retryAfterMs: retryAfterMs(headers), problem });
  }
  if (status === 400) {
    const messages = (body.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter(Boolean);
    return new XeroError('validation', `Xero rejected ${what}: ${messages.join('; ') || detail || 'bad request'}`, { ...base, messages: messages.length ? messages : [detail || 'bad request'] });
  }
  if (status >= 500) return new XeroError('xero_unavailable', `Xero is unavailable (${status}) for ${what}`, base);
  return new XeroError('unexpected_response', `Xero answered ${status} to ${what}`, base);
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

interface AxiosErrorLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Headers };
}

/** Any failure of a xero-node call, as a XeroError. `what` names the call for people. */
export function toXeroError(error: unknown, what: string): XeroError {
  if (error instanceof XeroError) return error;
  // Accounting API calls reject with JSON.stringify({ response: { statusCode, body, headers }, body }).
  if (typeof error === 'string') {
    let parsed: { response?: { statusCode?: number; body?: unknown; headers?: Headers } };
    try {
      parsed = JSON.parse(error) as typeof parsed;
    } catch {
      return new XeroError('unexpected_response', `xero-node failed on ${what}: ${error.slice(0, 200)}`);
    }
    const status = parsed.response?.statusCode ?? 0;
    if (status === 0) {
      // No answer: xero-node keeps only axios's message, which names a timeout when there was one.
      const message = String(parsed.response?.body ?? '');
      if (/timeout/i.test(message)) return new XeroError('timeout', `Xero did not answer ${what} in time`);
      return new XeroError('xero_unavailable', `Xero could not be reached for ${what}: ${message.slice(0, 200)}`);
    }
    return fromHttpStatus(status, parsed.response?.body, parsed.response?.headers, what);
  }
  if (error instanceof errors.OPError) {
    const status = error.response?.statusCode;
    if (error.error === 'invalid_grant') {
      return what.startsWith('code')
        ? new XeroError('code_rejected', `Xero rejected the authorization code (${what})`, { status })
        : new XeroError('refresh_rejected', `Xero rejected the refresh token (${what}): the organisation must be reconnected`, { status });
    }
    if (error.error === 'access_denied') return new XeroError('consent_declined', 'The user declined the consent in Xero', { status });
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      return new XeroError('client_rejected', `Xero refused the client id or secret (${error.error}): check XERO_CLIENT_ID and XERO_CLIENT_SECRET`, { status });
    }
    if (status !== undefined) return fromHttpStatus(status, (error.response as { body?: unknown } | undefined)?.body, error.response?.headers as Headers, what);
    return new XeroError('unexpected_response', `Xero answered ${what} with ${error.error}`);
  }
  if (error instanceof errors.RPError) {
    if (/timed out/.test(error.message)) return new XeroError('timeout', `Xero did not answer ${what} in time`);
    return new XeroError('unexpected_response', `Xero's answer to ${what} failed validation: ${error.message}`);
  }
  const axiosLike = error as AxiosErrorLike | null;
  if (axiosLike && typeof axiosLike === 'object') {
    if (axiosLike.response?.status) return fromHttpStatus(axiosLike.response.status, axiosLike.response.data, axiosLike.response.headers, what);
    if (axiosLike.code === 'ECONNABORTED' || axiosLike.code === 'ETIMEDOUT') return new XeroError('timeout', `Xero did not answer ${what} in time`);
    if (axiosLike.code && networkCodes.has(axiosLike.code)) return new XeroError('xero_unavailable', `Xero could not be reached for ${what} (${axiosLike.code})`);
    if (/socket hang up/i.test(axiosLike.message ?? '')) return new XeroError('xero_unavailable', `Xero dropped the connection during ${what}`);
  }
  return new XeroError('unexpected_response', `xero-node failed on ${what}: ${error instanceof Error ? error.message : String(error)}`);
}
