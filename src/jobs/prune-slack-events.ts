// Processed Slack event ids only matter while Slack may still retry (minutes); older ones go.
export const jobName = 'prune-slack-events';
export const keepMs = 24 * 60 * 60_000;

export interface PruneSlackEventsDeps {
  processedEvents: { prune(before: Date): Promise<number> };
  now?: () => Date;
}

export async function exec(deps: PruneSlackEventsDeps): Promise<{ pruned: number }> {
  const now = deps.now?.() ?? new Date();
  return { pruned: await deps.processedEvents.prune(new Date(now.getTime() - keepMs)) };
}
