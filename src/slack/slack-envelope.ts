// What a request from Slack must look like before Bolt sees it. Bolt reads fields such as
// `body.user.team_id` or `'channel' in event` without checking them, so a signed but malformed
// payload made it throw (HTTP 500, the reason logged at debug only). Each payload kind is checked
// here for the fields Bolt and our listeners rely on; everything else passes through untouched.
// Used by the HTTP receiver and, for the same payloads over the socket, by Socket Mode.
import { z } from 'zod';

export type EnvelopeKind =
  | 'url_verification'
  | 'app_rate_limited'
  | 'event'
  | 'command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'shortcut'
  | 'message_action';

export type EnvelopeCheck = { ok: true; kind: EnvelopeKind } | { ok: false; reason: string };
export type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

// Team, user, channel and enterprise ids (T0123ABCD...); bounded so nothing huge is kept as a key.
const slackId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a Slack id');
const shortText = z.string().max(255);
const url = z.url({ protocol: /^https?$/ }).max(2048);
// Message text is not capped here: an absurdly long pasted error still gets an answer.
const messageText = z.string();

const eventShapes: Record<string, z.ZodType> = {
  app_mention: z.looseObject({ user: slackId, text: messageText, ts: shortText, channel: slackId }),
  message: z.looseObject({ channel: slackId, ts: shortText.optional(), text: messageText.optional() }),
  app_home_opened: z.looseObject({ user: slackId, tab: shortText }),
  assistant_thread_started: z.looseObject({ assistant_thread: z.looseObject({ channel_id: slackId, thread_ts: shortText }) }),
  assistant_thread_context_changed: z.looseObject({ assistant_thread: z.looseObject({ channel_id: slackId, thread_ts: shortText }) }),
};

const event = z.looseObject({
  type: shortText.min(1),
  user: z.union([slackId, z.looseObject({ id: slackId })]).optional(),
  channel: z.union([slackId, z.looseObject({ id: slackId.optional() })]).optional(),
  channel_id: slackId.optional(),
  item: z.looseObject({}).optional(),
  subteam: z.looseObject({}).optional(),
  text: messageText.optional(),
  ts: shortText.optional(),
  thread_ts: shortText.optional(),
  event_ts: shortText.optional(),
  subtype: shortText.optional(),
  bot_id: shortText.optional(),
  channel_type: shortText.optional(),
});

const eventEnvelope = z.looseObject({
  type: z.literal('event_callback'),
  team_id: slackId,
  enterprise_id: slackId.nullish(),
  api_app_id: shortText.optional(),
  event_id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'not a Slack event id'),
  event,
  authorizations: z
    .array(z.looseObject({ team_id: slackId.nullish(), enterprise_id: slackId.nullish(), user_id: slackId.optional(), is_enterprise_install: z.boolean().optional() }))
    .optional(),
  is_enterprise_install: z.boolean().optional(),
});

const command = z.looseObject({
  command: z.string().regex(/^\/[^\s]{1,64}$/, 'not a slash command'),
  text: z.string().max(8000),
  team_id: slackId,
  user_id: slackId,
  channel_id: slackId,
  enterprise_id: slackId.optional(),
  response_url: url,
  trigger_id: shortText,
  is_enterprise_install: z.enum(['true', 'false']).optional(),
});

const user = z.looseObject({ id: slackId, team_id: slackId.optional() });
const interactive = {
  user,
  team: z.looseObject({ id: slackId, enterprise_id: slackId.optional() }).nullable(),
  enterprise: z.looseObject({ id: slackId }).nullish(),
  is_enterprise_install: z.boolean().optional(),
};

const blockActions = z.looseObject({
  ...interactive,
  type: z.literal('block_actions'),
  trigger_id: shortText,
  actions: z
    .array(z.looseObject({ action_id: shortText.min(1), block_id: shortText.optional(), type: shortText, value: z.string().max(2000).optional() }))
    .min(1)
    .max(25),
  container: z.looseObject({}).optional(),
  channel: z.looseObject({ id: slackId }).optional(),
  message: z.looseObject({ ts: shortText.optional(), thread_ts: shortText.optional() }).optional(),
  view: z.looseObject({ id: shortText.optional(), type: shortText.optional() }).optional(),
  response_url: url.optional(),
});

const view = z.looseObject({
  id: shortText,
  type: shortText,
  callback_id: shortText,
  team_id: slackId,
  app_installed_team_id: slackId.optional(),
  private_metadata: z.string().max(3000).optional(),
  state: z.looseObject({ values: z.record(z.string(), z.unknown()) }).optional(),
});

const viewSubmission = z.looseObject({
  ...interactive,
  type: z.enum(['view_submission', 'view_closed']),
  view,
  response_urls: z.array(z.looseObject({ response_url: url })).optional(),
});

const shortcut = z.looseObject({ ...interactive, type: z.literal('shortcut'), callback_id: shortText, trigger_id: shortText });

const messageAction = z.looseObject({
  ...interactive,
  type: z.literal('message_action'),
  callback_id: shortText,
  trigger_id: shortText,
  channel: z.looseObject({ id: slackId }),
  message: z.looseObject({ ts: shortText, thread_ts: shortText.optional(), text: messageText.optional() }),
  response_url: url,
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A body as Slack sends it: JSON, or a form whose `payload` field is JSON, or plain form fields (commands). `parsedForm`: `raw` already parsed as a form. */
export function parseSlackBody(raw: string, contentType: string | undefined, parsedForm?: URLSearchParams): ParsedBody {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = parsedForm ?? new URLSearchParams(raw);
    const fields: Record<string, string> = {};
    for (const [key, value] of form) {
      if (key in fields) return { ok: false, reason: `form field ${key.slice(0, 40)} appears twice` };
      fields[key] = value;
    }
    if (fields.payload === undefined) return { ok: true, body: fields };
    return parseJsonObject(fields.payload, 'payload');
  }
  return parseJsonObject(raw, 'body');
}

function parseJsonObject(text: string, what: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${what} is not valid JSON` };
  }
  return isPlainObject(value) ? { ok: true, body: value } : { ok: false, reason: `${what} is JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, not an object` };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.').slice(0, 100) || '(top level)';
  return `${path}: ${issue.message.slice(0, 100)}`;
}

function checked(kind: EnvelopeKind, schema: z.ZodType, body: unknown): EnvelopeCheck {
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, kind } : { ok: false, reason: `${kind} ${describeIssue(parsed.error)}` };
}

const urlVerification = z.looseObject({ challenge: z.string().min(1).max(200) });

// Made once: a zod schema made per request cost far more than checking with it (50-140 µs an event).
const eventInEnvelope = new Map(Object.entries(eventShapes).map(([type, shape]) => [type, z.looseObject({ event: shape })]));

/** Decides the kind the way Bolt will (by which fields are present) and checks that kind's shape. */
export function checkEnvelope(body: Record<string, unknown>): EnvelopeCheck {
  const type = body.type;
  if (type === 'url_verification') return checked('url_verification', urlVerification, body);
  if (type === 'app_rate_limited') return { ok: true, kind: 'app_rate_limited' };
  if ('event' in body) {
    const envelope = checked('event', eventEnvelope, body);
    if (!envelope.ok) return envelope;
    const inner = eventInEnvelope.get((body.event as { type: string }).type);
    return inner ? checked('event', inner, body) : envelope;
  }
  if ('command' in body) return checked('command', command, body);
  if ('name' in body || type === 'block_suggestion') return { ok: false, reason: 'options requests (external selects) are not used by this app' };
  if ('actions' in body || type === 'dialog_submission') return checked('block_actions', blockActions, body);
  if (type === 'shortcut') return checked('shortcut', shortcut, body);
  if (type === 'message_action') return checked('message_action', messageAction, body);
  if (type === 'view_submission' || type === 'view_closed') return checked(type, viewSubmission, body);
  return { ok: false, reason: `unknown payload type ${JSON.stringify(typeof type === 'string' ? type.slice(0, 40) : typeof type)}` };
}
