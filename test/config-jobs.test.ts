// Job cadences and time budgets from the environment.
import { describe, expect, it } from 'vitest';
import { ConfigError, jobDefaults, jobNames, jobVariable, loadConfig } from '../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('job settings', () => {
  it("keep today's cadences by default", () => {
    const { jobs } = loadConfig({});
    expect(jobs['post-pending-escalations']).toEqual({ schedule: '* * * * *', budgetMs: 5 * 60_000 });
    expect(jobs['prune-slack-events']).toEqual({ schedule: '17 * * * *', budgetMs: 60_000 });
    expect(Object.keys(jobs).sort()).toEqual([...jobNames].sort());
  });

  it('name one variable pair per job', () => {
    expect(jobVariable('post-pending-escalations', 'SCHEDULE')).toBe('CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE');
    expect(jobVariable('prune-job-runs', 'BUDGET')).toBe('CONCIERGE_JOB_PRUNE_JOB_RUNS_BUDGET');
    const { jobs } = loadConfig({ CONCIERGE_JOB_PRUNE_CASE_CONVERSATIONS_SCHEDULE: '*/30 * * * *' });
    expect(jobs['prune-case-conversations']).toEqual({ schedule: '*/30 * * * *', budgetMs: 60_000 });
    expect(loadConfig({}).jobs['prune-case-conversations'].schedule).toBe('53 * * * *');
  });

  it('switch a job off with 0 or off, and leave the others alone', () => {
    const { jobs } = loadConfig({ CONCIERGE_JOB_PRUNE_SLACK_EVENTS_SCHEDULE: '0', CONCIERGE_JOB_PRUNE_JOB_RUNS_SCHEDULE: ' OFF ' });
    expect(jobs['prune-slack-events'].schedule).toBeUndefined();
    expect(jobs['prune-job-runs'].schedule).toBeUndefined();
    expect(jobs['post-pending-escalations'].schedule).toBe(jobDefaults['post-pending-escalations'].schedule);
  });

  it('take a cron expression (seconds optional) and a budget in ms, s, m or h', () => {
    const { jobs } = loadConfig({ CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE: '*/10 * * * * *', CONCIERGE_JOB_POST_PENDING_ESCALATIONS_BUDGET: '90s' });
    expect(jobs['post-pending-escalations']).toEqual({ schedule: '*/10 * * * * *', budgetMs: 90_000 });
    expect(loadConfig({ CONCIERGE_JOB_PRUNE_JOB_RUNS_BUDGET: '2h' }).jobs['prune-job-runs'].budgetMs).toBe(7_200_000);
    expect(loadConfig({ CONCIERGE_JOB_PRUNE_JOB_RUNS_BUDGET: '250ms' }).jobs['prune-job-runs'].budgetMs).toBe(250);
  });

  it('refuse a bad cron expression saying which field is wrong and what is expected', () => {
    const [problem, ...rest] = problems({ CONCIERGE_JOB_PRUNE_SLACK_EVENTS_SCHEDULE: '61 * * * *' });
    expect(rest).toEqual([]);
    expect(problem).toContain('CONCIERGE_JOB_PRUNE_SLACK_EVENTS_SCHEDULE="61 * * * *" is invalid');
    expect(problem).toContain('not a cron expression: Invalid value for minute: 61');
    expect(problem).toContain('or 0 or off to switch the job off (default "17 * * * *")');
    expect(problems({ CONCIERGE_JOB_PRUNE_SLACK_EVENTS_SCHEDULE: 'hourly' })[0]).toContain('expected 5 or 6 fields but got 1');
  });

  it('refuse budgets without a unit, of zero or over a day, listed with every other bad variable', () => {
    const found = problems({
      CONCIERGE_JOB_POST_PENDING_ESCALATIONS_BUDGET: '300',
      CONCIERGE_JOB_PRUNE_SLACK_EVENTS_BUDGET: '0s',
      CONCIERGE_JOB_PRUNE_JOB_RUNS_BUDGET: '25h',
      LOG_LEVEL: 'loud',
    });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toContain('CONCIERGE_JOB_POST_PENDING_ESCALATIONS_BUDGET="300" is invalid: must be a whole number followed by ms, s, m or h (expected a duration such as 30s, 5m or 1h (default 5m))');
    expect(found.join('\n')).toContain('CONCIERGE_JOB_PRUNE_SLACK_EVENTS_BUDGET="0s" is invalid: must be more than 0 and at most 24h');
    expect(found.join('\n')).toContain('CONCIERGE_JOB_PRUNE_JOB_RUNS_BUDGET="25h" is invalid');
    expect(found.join('\n')).toContain('LOG_LEVEL="loud"');
  });
});
