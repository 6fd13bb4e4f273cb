// Escalations whose publishing never finished (Slack refused the triage post, or the poster
// crashed part-way) are published again. Every bot instance runs this job against the shared
// database: each escalation is claimed before it is posted, so only one instance posts it, and a
// message an interrupted attempt may have sent is looked up in Slack before anything is re-sent.
// Scheduling lives in schedule-jobs.ts; tests call exec directly.
import { consoleActor } from '../support/console-workspace.ts';
import { newPostClaimOwner, postLeaseMs } from '../support/escalate.ts';
import { publishEscalation, type PublishDeps } from '../slack/post-escalation.ts';

export const jobName = 'post-pending-escalations';

/** Most escalations one run posts. */
export const batchSize = 20;

export interface PostPendingResult {
  attempted: number;
  posted: number;
}

export type PostPendingDeps = PublishDeps & {
  /** How long each claim lasts (default postLeaseMs). */
  postLeaseMs?: number;
};

export async function exec(deps: PostPendingDeps): Promise<PostPendingResult> {
  let attempted = 0;
  let posted = 0;
  // One claim at a time, so each claim covers a single post however slow the earlier ones were.
  // A failed post keeps its claim until it expires: the next claims skip it.
  while (attempted < batchSize) {
    const owner = newPostClaimOwner('job');
    // Console cases live in their own database, but a data folder from before that split may still
    // hold some here: they were never meant for a real workspace, so they are never posted.
    const [escalation] = await deps.escalations.claimUnposted(owner, {
      limit: 1,
      leaseMs: deps.postLeaseMs ?? postLeaseMs,
      now: deps.now?.() ?? new Date(),
      skipTeamIds: [consoleActor.teamId],
    });
    if (!escalation) break;
    attempted++;
    const { delivery } = await publishEscalation(deps, escalation, owner);
    if (delivery.ok) posted++;
    // Slack itself is struggling: every other post would fail the same way. Next run tries again.
    else if (delivery.error === 'rate_limited' || delivery.error === 'slack_unavailable') break;
  }
  return { attempted, posted };
}
