// Slack Web API failures, reduced to the few outcomes the app acts on. WebClient already waits
// out Retry-After and retries 5xx responses (retryConfig); what reaches here has given up.
import { ErrorCode } from '@slack/web-api';
import type { PublishError } from '../support/escalate.ts';

export interface SlackFailure {
  code: PublishError;
  /** Slack's own error string or HTTP status, for the logs. */
  detail: string;
}

export function describeSlackError(error: unknown): SlackFailure {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  switch (e?.code) {
    case ErrorCode.PlatformError: {
      const slackError = e.data?.error ?? 'unknown';
      if (slackError === 'channel_not_found' || slackError === 'is_archived') return { code: 'channel_not_found', detail: slackError };
      if (slackError === 'not_in_channel') return { code: 'not_in_channel', detail: slackError };
      if (slackError === 'ratelimited') return { code: 'rate_limited', detail: slackError };
      if (['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(slackError)) {
        return { code: 'slack_not_connected', detail: slackError };
      }
      return { code: 'slack_error', detail: slackError };
    }
    case ErrorCode.RateLimitedError:
      return { code: 'rate_limited', detail: 'rate_limited' };
    case ErrorCode.HTTPError:
      return { code: 'slack_unavailable', detail: `http_${e.statusCode ?? 'error'}` };
    case ErrorCode.RequestError:
      return { code: 'slack_unavailable', detail: 'request_failed' };
    default:
      return { code: 'slack_error', detail: e?.message ?? String(error) };
  }
}

/**
 * Slack's reasons for refusing a message's blocks (response_metadata.messages name the rule and the
 * block), or null when the failure is something else.
 */
export function blocksRefusal(error: unknown): string[] | null {
  const e = error as { data?: { response_metadata?: { messages?: string[] } } };
  const code = slackErrorCode(error);
  if (code !== 'invalid_blocks' && code !== 'invalid_blocks_format') return null;
  return e.data?.response_metadata?.messages ?? [code];
}

export function slackErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}
