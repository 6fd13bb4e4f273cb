// Finds a message the app posted earlier by the metadata it was posted with, so a post whose
// answer was lost (the process died, the request timed out) is recorded instead of sent twice.
// Whatever the app posts with `markedMessage` metadata can be found this way: escalations today,
// alerts tomorrow. Reading metadata back needs the history scopes of the conversation type.
import type { MessageMetadata } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackMessageRef } from '../support/stores.ts';

/** What identifies one message of ours: an event type and one payload field, e.g. the case id. */
export interface MessageMark {
  eventType: string;
  key: string;
  value: string;
}

export interface SearchWindow {
  /** The earliest the message can have been posted (the attempt's start). */
  from: Date;
  /** The latest (the attempt's start plus as long as an attempt may take). */
  to: Date;
}

/** Slack's clock and ours may disagree, so the window is widened by this much on both sides. */
export const clockSkewMs = 60_000;
/** How many messages one history page asks for, and how many pages are read at most. */
export const searchLimits = { pageSize: 200, maxPages: 5 } as const;

export function markedMessage(mark: MessageMark): { metadata: MessageMetadata } {
  return { metadata: { event_type: mark.eventType, event_payload: { [mark.key]: mark.value } } };
}

interface LooseMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

function slackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

/**
 * The message carrying `mark` in a channel (or one thread of it, with `threadTs`) posted within
 * `window`, or null. Reads at most searchLimits.maxPages pages; Slack errors are thrown.
 */
export async function findEarlierMessage(
  client: WebClient,
  where: { channel: string; threadTs?: string | null },
  mark: MessageMark,
  window: SearchWindow,
): Promise<SlackMessageRef | null> {
  const range = {
    oldest: slackTs(window.from.getTime() - clockSkewMs),
    latest: slackTs(window.to.getTime() + clockSkewMs),
    inclusive: true,
    include_all_metadata: true,
    limit: searchLimits.pageSize,
  };
  let cursor: string | undefined;
  for (let page = 0; page < searchLimits.maxPages; page++) {
    const answer = where.threadTs
      ? await client.conversations.replies({ channel: where.channel, ts: where.threadTs, ...range, ...(cursor ? { cursor } : {}) })
      : await client.conversations.history({ channel: where.channel, ...range, ...(cursor ? { cursor } : {}) });
    const found = ((answer.messages ?? []) as LooseMessage[]).find(
      (m) => m.ts && m.metadata?.event_type === mark.eventType && m.metadata.event_payload?.[mark.key] === mark.value,
    );
    if (found?.ts) return { channelId: where.channel, ts: found.ts };
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}
