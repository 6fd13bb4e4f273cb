// Escalations whose triage message never made it to Slack (channel missing, app not invited,
// Slack down) are posted again. Scheduling lives in schedule-jobs.ts; tests call exec directly.
import { publishEscalation, type PublishDeps } from '../support/escalate.ts';

export const jobName = 'post-pending-escalations';

/** Escalations younger than this are left to the request that created them. */
export const graceMs = 2 * 60_000;
export const batchSize = 20;

export interface PostPendingResult {
  attempted: number;
  posted: number;
}

export interface PostPendingDeps extends PublishDeps {
  now?: () => Date;
}

export async function exec(deps: PostPendingDeps): Promise<PostPendingResult> {
  const now = deps.now?.() ?? new Date();
  const pending = await deps.escalations.listUnposted({ createdBefore: new Date(now.getTime() - graceMs), limit: batchSize });
  let attempted = 0;
  let posted = 0;
  for (const escalation of pending) {
    attempted++;
    const { delivery } = await publishEscalation(deps, escalation);
    if (delivery.ok) posted++;
    // Slack itself is struggling: every other post would fail the same way. Next run tries again.
    else if (delivery.error === 'rate_limited' || delivery.error === 'slack_unavailable') break;
  }
  return { attempted, posted };
}
