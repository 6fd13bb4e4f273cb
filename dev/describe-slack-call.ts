// What `npm run slack:fake` prints for each thing the bot sends to Slack: the method and where it
// went, the text, the blocks as the local console renders them, and each button as the
// `npm run slack:send` command that presses it.
import type { KnownBlock } from '@slack/types';
import { renderBlocksAsText } from '../src/console/render-blocks-as-text.ts';
import { caseText } from '../src/copy/case-conversation-text.ts';
import { decodeModalOrigin } from '../src/slack/blocks/escalation-blocks.ts';
import { actionIds, escalationBlocks, viewIds } from '../src/slack/ids.ts';
import type { RecordedCall, RecordedResponse } from './fake-slack-api.ts';
import { playground, shellQuote } from './slack-playground.ts';

export interface DescribeOptions {
  /** slack:send flags every printed command needs, e.g. --fake when the fake is not on its default port. */
  sendFlags?: string[];
}

const adminOnly = new Set<string>([actionIds.reconnect, actionIds.retryFailed, actionIds.claimEscalation, actionIds.resolveEscalation, actionIds.retrySync, actionIds.retryAllSyncs, actionIds.archiveSync, actionIds.restoreContact]);

type Params = Record<string, unknown>;

/** Parameters that get their own lines, or say nothing to a person. */
const notInHeadline = new Set(['token', 'text', 'blocks', 'attachments', 'view', 'unfurl_links', 'unfurl_media']);

/** Where a button sits, as slack:send flags. */
export interface ButtonPlace {
  flags: string[];
}

interface FoundButton {
  label: string;
  actionId: string;
  value: string | undefined;
}

export function describeApiCall(call: RecordedCall, answer: Params, options: DescribeOptions = {}): string {
  const { method, params } = call;
  const pairs = Object.entries(params)
    .filter(([key, value]) => !notInHeadline.has(key) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'))
    .map(([key, value]) => `${key}=${String(value)}`);
  const lines = [`── ${[method, ...pairs].join('  ')}  ${outcome(method, answer)}`];
  // A message of text only (a retry's outcome, a reconnect DM) is shown whole: nothing else shows it. Its links too, so they can be opened.
  const textOnly = !Array.isArray(params.blocks);
  if (typeof params.text === 'string') lines.push(`   text: ${oneLine(params.text, textOnly ? Infinity : 200)}`);
  if (typeof params.text === 'string' && textOnly) lines.push(...linksIn(params.text));
  const sendFlags = options.sendFlags ?? [];
  if (Array.isArray(params.blocks)) lines.push(...describeBlocks(params.blocks, buttonPlace(method, params, answer), sendFlags));
  const view = params.view as Params | undefined;
  if (view && typeof view === 'object') {
    const title = (view.title as { text?: string } | undefined)?.text;
    lines.push(`   ${String(view.type ?? 'view')}${title ? `: ${title}` : ''}${view.callback_id ? `  (callback_id=${String(view.callback_id)})` : ''}`);
    if (Array.isArray(view.blocks)) lines.push(...describeBlocks(view.blocks, buttonPlace(method, params, answer), sendFlags));
    if (view.callback_id === viewIds.escalationModal && method === 'views.open') lines.push(...submitHint(view, sendFlags));
  }
  return lines.join('\n');
}

export function describeResponsePost(response: RecordedResponse, options: DescribeOptions = {}): string {
  const { body } = response;
  const flags = ['response_type', 'replace_original', 'delete_original'].filter((key) => body[key] !== undefined).map((key) => `${key}=${String(body[key])}`);
  const lines = [`── response_url /response/${response.id}  ${flags.join('  ')}`.trimEnd()];
  if (typeof body.text === 'string') lines.push(`   text: ${oneLine(body.text)}`);
  const ephemeral = body.response_type !== 'in_channel';
  if (Array.isArray(body.blocks)) lines.push(...describeBlocks(body.blocks, { flags: ephemeral ? ['--ephemeral'] : [] }, options.sendFlags ?? []));
  return lines.join('\n');
}

function outcome(method: string, answer: Params): string {
  if (answer.ok !== true) return `✖ ${String(answer.error ?? 'failed')}`;
  if (typeof answer.ts === 'string' && method !== 'chat.update') return `→ ok, ts=${answer.ts}`;
  const view = answer.view as { id?: string } | undefined;
  if (view?.id) return `→ ok, view_id=${view.id}`;
  return '→ ok';
}

/** Slack mrkdwn links `<url|label>` as `label (url)` lines, as the block rendering shows them. */
function linksIn(text: string): string[] {
  return [...text.matchAll(/<(https?:[^|>]+)\|([^>]*)>/g)].map(([, url, label]) => `   │ ${label} (${url})`);
}

function oneLine(value: string, max = 200): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A message's place from the call that posted or updated it: what a press on it would carry. */
function buttonPlace(method: string, params: Params, answer: Params): ButtonPlace | null {
  const flag = (name: string, value: unknown) => (typeof value === 'string' && value ? [name, value] : []);
  switch (method) {
    case 'chat.postMessage':
      return { flags: [...flag('--channel', answer.channel ?? params.channel), ...flag('--message-ts', answer.ts), ...flag('--thread-ts', params.thread_ts)] };
    case 'chat.update':
      return { flags: [...flag('--channel', params.channel), ...flag('--message-ts', params.ts)] };
    case 'chat.postEphemeral':
      return { flags: ['--ephemeral', ...flag('--channel', params.channel), ...flag('--user', params.user)] };
    case 'views.publish':
      return { flags: ['--home', ...flag('--user', params.user_id)] };
    default:
      return null;
  }
}

function sendCommand(words: string[], sendFlags: string[]): string {
  return ['npm', 'run', 'slack:send', '--', ...sendFlags, ...words].map(shellQuote).join(' ');
}

/** The escalation form as the slack:send command that submits it from where it was opened. */
function submitHint(view: Params, sendFlags: string[]): string[] {
  const origin = decodeModalOrigin(typeof view.private_metadata === 'string' ? view.private_metadata : undefined);
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []) as { block_id?: string; element?: { initial_value?: string } }[];
  const prefill = blocks.find((b) => b.block_id === escalationBlocks.error)?.element?.initial_value;
  const words = ['submit-escalation', '--error', prefill || 'the full error message', '--report', 'March travel', '--at', 'now'];
  if (origin) {
    if (origin.channelId !== playground.channelId) words.push('--channel', origin.channelId);
    if (origin.threadTs) words.push('--thread-ts', origin.threadTs);
    if (origin.articleId) words.push('--article', origin.articleId);
  }
  return ['   submit it with (change the values as you like):', `     ${sendCommand(words, sendFlags)}`];
}

/** Blocks rendered as text, then each button as the slack:send command that presses it where it sits. */
export function describeBlocks(blocks: unknown[], place: ButtonPlace | null, sendFlags: string[]): string[] {
  let rendered: string;
  try {
    rendered = renderBlocksAsText(blocks as KnownBlock[]);
  } catch {
    // Blocks the renderer does not understand are still worth seeing.
    rendered = JSON.stringify(blocks, null, 2);
  }
  const lines = rendered.split('\n').map((line) => `   │ ${line}`.trimEnd());
  const buttons = findButtons(blocks);
  const thread = place?.flags[place.flags.indexOf('--thread-ts') + 1];
  if (place?.flags.includes('--thread-ts') && thread && rendered.includes(caseText.replyHint)) {
    // The case conversation asks in the thread: show how to answer there.
    const channel = place.flags.includes('--channel') ? ['--channel', place.flags[place.flags.indexOf('--channel') + 1]!] : [];
    lines.push('   answer in the thread with:', `     ${sendCommand(['reply', 'your answer, e.g. report R00452, today at 9:40', '--thread-ts', thread, ...channel], sendFlags)}`);
  }
  if (place && buttons.length) {
    const forAdmins = place.flags.includes('--user') ? [] : buttons.filter((b) => adminOnly.has(b.actionId)).map((b) => b.label);
    const admins = forAdmins.length ? ` (${forAdmins.join(', ')}: admins only, add --user ${playground.adminUserId})` : '';
    lines.push(`   buttons, pressed with these commands${admins}:`);
    for (const b of buttons) {
      lines.push(`     [${b.label}] ${sendCommand(['action', b.actionId, ...(b.value !== undefined ? [b.value] : []), ...place.flags], sendFlags)}`);
    }
  }
  return lines;
}

function findButtons(blocks: unknown[]): FoundButton[] {
  type Element = { type?: string; action_id?: string; value?: string; text?: { text?: string } };
  const found: FoundButton[] = [];
  for (const block of blocks as { elements?: Element[]; accessory?: Element }[]) {
    for (const element of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
      if (element.type === 'button' && element.action_id) found.push({ label: element.text?.text ?? element.action_id, actionId: element.action_id, value: element.value });
    }
  }
  return found;
}
