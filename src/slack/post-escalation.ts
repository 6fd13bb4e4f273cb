// Posting a filed case: the Slack edge's half of an escalation (the listener after acknowledging,
// or the re-post job). The triage message and the reporter's confirmation are each sent once even
// across crashes: each send is stamped before it goes out, and the next poster first looks for
// that message in Slack and records it instead of sending it again.
import type { ArticleSummary } from '../knowledge/article.ts';
import { describeEscalation, type EscalationDetails, type EscalationPublisher, type PublishError } from '../support/escalate.ts';
import { ok, fail, type Result } from '../support/result.ts';
import type { ConnectionStore, EscalationMessage, EscalationRecord, EscalationStore, SlackMessageRef } from '../support/stores.ts';

export interface PublishDeps {
  escalations: EscalationStore;
  connections: ConnectionStore;
  publisher: EscalationPublisher;
  findArticle(id: string): ArticleSummary | undefined;
  /** The clock claims are timed by (default: the system clock). */
  now?: (() => Date) | undefined;
}

/** The escalation as stored after publishing, what it refers to, and how posting to triage went. */
export interface PublishedEscalation extends EscalationDetails {
  delivery: Result<SlackMessageRef, PublishError>;
}

/**
 * Posts an escalation that `owner` has claimed to triage and tells the reporter, skipping what an
 * earlier, interrupted publisher already did. Once the triage message is posted the claim is
 * released after the confirmation; a failed triage post leaves it to expire, and then the job
 * claims the escalation and tries again.
 */
export async function publishEscalation(deps: PublishDeps, claimed: EscalationRecord, owner: string): Promise<PublishedEscalation> {
  const details = await describeEscalation(deps, claimed);
  const id = claimed.id;
  let delivery: Result<SlackMessageRef, PublishError>;
  // A triage message found in Slack was rendered then; it is brought up to date at the end.
  let stale = false;
  if (claimed.triageMessage) {
    delivery = ok(claimed.triageMessage);
  } else {
    const sent = await sendOnce(deps, details, owner, 'triage', claimed.postAttemptAt, () => deps.publisher.postToTriage(details));
    if (!sent) return { ...details, delivery: fail('post_claim_lost') };
    delivery = sent.result;
    stale = sent.found;
    if (delivery.ok) {
      if (!(await deps.escalations.markPosted(id, owner, delivery.value))) {
        // The claim ran out before Slack answered and another poster took the escalation over;
        // that poster finds this message, records it and tells the reporter.
        return { ...details, escalation: (await deps.escalations.get(id)) ?? claimed, delivery };
      }
      details.escalation = { ...details.escalation, triageMessage: delivery.value, postedAt: deps.now?.() ?? new Date() };
    }
  }
  if (details.escalation.reporterConfirmation) {
    // The reporter already knows it is saved; tell them again only when something changed.
    if (delivery.ok) stale = true;
  } else {
    const sent = await sendOnce(deps, details, owner, 'confirmation', claimed.confirmationAttemptAt, () => deps.publisher.confirmToReporter(details, delivery));
    if (!sent) return { ...details, delivery };
    if (sent.result.ok) {
      await deps.escalations.recordReporterConfirmation(id, sent.result.value);
      details.escalation = { ...details.escalation, reporterConfirmation: sent.result.value };
      if (sent.found && delivery.ok) stale = true;
    }
  }
  if (stale) await deps.publisher.refreshMessages(details);
  if (delivery.ok) await deps.escalations.releasePostLease(id, owner);
  return { ...details, delivery };
}

/**
 * Sends one message at most once across crashes: an earlier attempt with no recorded outcome is
 * looked up in Slack first (when Slack cannot say, nothing is sent: a duplicate is worse than a
 * delay), then the new attempt is stamped before it goes out. Null when `owner` lost the claim.
 */
async function sendOnce(
  deps: PublishDeps,
  details: EscalationDetails,
  owner: string,
  message: EscalationMessage,
  earlierAttempt: Date | null,
  send: () => Promise<Result<SlackMessageRef, PublishError>>,
): Promise<{ result: Result<SlackMessageRef, PublishError>; found: boolean } | null> {
  if (earlierAttempt) {
    const earlier = await deps.publisher.findEarlierMessage(message, details, earlierAttempt);
    if (!earlier.ok) return { result: earlier, found: false };
    if (earlier.value) return { result: ok(earlier.value), found: true };
  }
  if (!(await deps.escalations.recordAttempt(details.escalation.id, owner, message, deps.now?.() ?? new Date()))) return null;
  return { result: await send(), found: false };
}

