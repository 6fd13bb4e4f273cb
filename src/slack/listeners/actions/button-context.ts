// What a button press tells us about where it happened: who pressed it, in which workspace, and
// whether it was on a message (thread, ephemeral) or in App Home.
import type { BlockAction, ButtonAction, Context } from '@slack/bolt';
import type { Actor } from '../../../support/admin-access.ts';
import type { RetryOrigin } from '../../../support/failed-syncs.ts';

export interface ButtonPress {
  actor: Actor;
  value: string | undefined;
  channelId: string | undefined;
  /** The thread the pressed message lives in (or starts), when it is a normal message. */
  threadTs: string | null;
  isEphemeral: boolean;
  inAppHome: boolean;
  triggerId: string;
}

export function readButtonPress(body: BlockAction, action: ButtonAction | { value?: string }, context: Context): ButtonPress {
  const container = (body.container ?? {}) as { is_ephemeral?: boolean; channel_id?: string; thread_ts?: string; message_ts?: string };
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const isEphemeral = Boolean(container.is_ephemeral);
  return {
    actor: { teamId: body.team?.id ?? context.teamId ?? '', userId: body.user.id },
    value: action.value,
    channelId: body.channel?.id ?? container.channel_id,
    threadTs: isEphemeral ? null : (message?.thread_ts ?? container.thread_ts ?? message?.ts ?? container.message_ts ?? null),
    isEphemeral,
    inAppHome: body.view?.type === 'home',
    triggerId: body.trigger_id,
  };
}

/**
 * Where a retry this press causes reports: the pressed message's thread; from App Home or an
 * ephemeral message (which the bot cannot reply under), the person's DM.
 */
export function retryOriginOf(press: ButtonPress, source: RetryOrigin['source']): RetryOrigin {
  return { source, channelId: press.inAppHome || press.isEphemeral ? null : (press.channelId ?? null), threadTs: press.threadTs, timeZone: null };
}
