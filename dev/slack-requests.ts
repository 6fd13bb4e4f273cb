// Real, signed Slack requests (Events API, slash commands, interactivity) as Slack sends them,
// for driving the app's HTTP receiver in tests, the benchmark and `npm run slack:send`.
import { createHmac, randomBytes } from 'node:crypto';
import { escalationBlocks, inputActionId } from '../src/slack/ids.ts';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch for X-Slack-Request-Timestamp (default now). */
  timestamp?: number;
  /** Sign with this secret instead (to forge). */
  secret?: string;
  retryNum?: number;
  headers?: Record<string, string>;
}

export interface SlackIdentity {
  teamId: string;
  userId: string;
  channelId: string;
}

export interface EscalationFormFields {
  error?: string;
  report?: string;
  when?: Date | null;
  /** A Xero connection id, as the organisation picker's option value. */
  connection?: string;
  notes?: string;
}

/** The escalation modal's state.values as Slack submits them; a missing field is an empty input. */
export function escalationFormValues(fields: EscalationFormFields): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {
    [escalationBlocks.error]: { [inputActionId]: { type: 'plain_text_input', value: fields.error ?? null } },
    [escalationBlocks.report]: { [inputActionId]: { type: 'plain_text_input', value: fields.report ?? null } },
    [escalationBlocks.occurredAt]: { [inputActionId]: { type: 'datetimepicker', selected_date_time: fields.when ? Math.floor(fields.when.getTime() / 1000) : null } },
    [escalationBlocks.notes]: { [inputActionId]: { type: 'plain_text_input', value: fields.notes ?? null } },
  };
  if (fields.connection) {
    values[escalationBlocks.connection] = { [inputActionId]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Organisation' }, value: fields.connection } } };
  }
  return values;
}

export class SlackRequests {
  private counter = 0;
  // Ids differ between instances (and processes), so two senders never repeat an event_id.
  private readonly stem = randomBytes(3).toString('hex');
  readonly url: string;
  private readonly secret: string;
  private readonly responseUrl: (id: string) => string;
  readonly who: SlackIdentity;
  constructor(baseUrl: string, secret: string, responseUrl: (id: string) => string, who: SlackIdentity = { teamId: 'T0TEAM0001', userId: 'U0USER0001', channelId: 'C0CHAN0001' }) {
    this.url = `${baseUrl}/slack/events`;
    this.secret = secret;
    this.responseUrl = responseUrl;
    this.who = who;
  }

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.stem}${this.counter}`;
  }

  /** Sends a raw body with a valid (or forged/stale) signature. */
  async raw(body: string, contentType: string, options: SendOptions = {}): Promise<Response> {
    return fetch(this.url, { method: 'POST', headers: this.signedHeaders(body, contentType, options), body });
  }

  /** The headers Slack sends with `body`: content type, timestamp, signature, and retry headers when asked. */
  signedHeaders(body: string, contentType: string, options: SendOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.secret ?? this.secret, timestamp, body),
      ...options.headers,
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return headers;
  }

  eventEnvelope(event: Record<string, unknown>, eventId = this.next('Ev0TEST')): Record<string, unknown> {
    return {
      token: 'verification-token-unused',
      team_id: this.who.teamId,
      api_app_id: 'A0APP00001',
      event: { event_ts: event.ts ?? '1700000000.000100', ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.who.teamId, user_id: 'U0BOT00001', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
  }

  event(event: Record<string, unknown>, options: SendOptions & { eventId?: string } = {}): Promise<Response> {
    return this.raw(JSON.stringify(this.eventEnvelope(event, options.eventId)), 'application/json', options);
  }

  commandFields(text: string, overrides: Record<string, string> = {}): Record<string, string> {
    const id = this.next('cmd');
    return {
      token: 'verification-token-unused',
      team_id: this.who.teamId,
      team_domain: 'fake',
      channel_id: this.who.channelId,
      channel_name: 'finance',
      user_id: this.who.userId,
      user_name: 'pat',
      command: '/concierge',
      text,
      api_app_id: 'A0APP00001',
      is_enterprise_install: 'false',
      response_url: this.responseUrl(id),
      trigger_id: `trigger-${id}`,
      ...overrides,
    };
  }

  /** Sends `/concierge <text>`; returns the HTTP response and the response_url id. */
  async command(text: string, overrides: Record<string, string> = {}, options: SendOptions = {}): Promise<{ response: Response; responseId: string; triggerId: string }> {
    const fields = this.commandFields(text, overrides);
    const response = await this.raw(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
    return { response, responseId: fields.response_url!.split('/').pop()!, triggerId: fields.trigger_id! };
  }

  interactive(payload: Record<string, unknown>, options: SendOptions = {}): Promise<Response> {
    return this.raw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }

  /** A button press on a message (or in App Home with `inHome`). */
  buttonPayload(
    actionId: string,
    value: string,
    options: { message?: Record<string, unknown>; ephemeral?: boolean; inHome?: boolean; userId?: string; blockId?: string } = {},
  ): { payload: Record<string, unknown>; responseId: string; triggerId: string } {
    const id = this.next('act');
    const userId = options.userId ?? this.who.userId;
    const messageTs = String(options.message?.ts ?? '1700000000.000200');
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: { id: userId, username: 'pat', name: 'pat', team_id: this.who.teamId },
      api_app_id: 'A0APP00001',
      token: 'verification-token-unused',
      trigger_id: `trigger-${id}`,
      team: { id: this.who.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      actions: [{ type: 'button', action_id: actionId, block_id: options.blockId ?? 'block', text: { type: 'plain_text', text: 'Button' }, value, action_ts: '1700000001.000000' }],
    };
    if (options.inHome) {
      payload.container = { type: 'view', view_id: 'V0HOME0001' };
      payload.view = { id: 'V0HOME0001', type: 'home', team_id: this.who.teamId, blocks: [], state: { values: {} }, hash: 'h' };
    } else {
      payload.container = { type: 'message', message_ts: messageTs, channel_id: this.who.channelId, is_ephemeral: Boolean(options.ephemeral) };
      payload.channel = { id: this.who.channelId, name: 'finance' };
      payload.response_url = this.responseUrl(id);
      if (!options.ephemeral) payload.message = { type: 'message', user: 'U0BOT00001', ts: messageTs, text: 'answer', ...options.message };
    }
    return { payload, responseId: id, triggerId: `trigger-${id}` };
  }

  async button(actionId: string, value: string, options: Parameters<SlackRequests['buttonPayload']>[2] = {}) {
    const { payload, responseId, triggerId } = this.buttonPayload(actionId, value, options);
    const response = await this.interactive(payload);
    return { response, responseId, triggerId };
  }

  viewSubmissionPayload(callbackId: string, values: Record<string, Record<string, unknown>>, privateMetadata: string, userId = this.who.userId): Record<string, unknown> {
    return {
      type: 'view_submission',
      team: { id: this.who.teamId, domain: 'fake' },
      user: { id: userId, username: 'pat', name: 'pat', team_id: this.who.teamId },
      api_app_id: 'A0APP00001',
      token: 'verification-token-unused',
      trigger_id: this.next('trigger-view-'),
      view: {
        id: 'V0MODAL001',
        team_id: this.who.teamId,
        type: 'modal',
        callback_id: callbackId,
        private_metadata: privateMetadata,
        state: { values },
        hash: 'hash-1',
        blocks: [],
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  viewSubmission(callbackId: string, values: Record<string, Record<string, unknown>>, privateMetadata: string, userId = this.who.userId): Promise<Response> {
    return this.interactive(this.viewSubmissionPayload(callbackId, values, privateMetadata, userId));
  }

  messageShortcutPayload(callbackId: string, message: Record<string, unknown>): { payload: Record<string, unknown>; triggerId: string } {
    const id = this.next('sc');
    const payload = {
      type: 'message_action',
      token: 'verification-token-unused',
      action_ts: '1700000002.000000',
      team: { id: this.who.teamId, domain: 'fake' },
      user: { id: this.who.userId, username: 'pat', name: 'pat', team_id: this.who.teamId },
      channel: { id: this.who.channelId, name: 'finance' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: `trigger-${id}`,
      response_url: this.responseUrl(id),
      message_ts: message.ts,
      message: { type: 'message', user: 'U0OTHER001', ...message },
    };
    return { payload, triggerId: `trigger-${id}` };
  }

  async messageShortcut(callbackId: string, message: Record<string, unknown>) {
    const { payload, triggerId } = this.messageShortcutPayload(callbackId, message);
    const response = await this.interactive(payload);
    return { response, triggerId };
  }
}
