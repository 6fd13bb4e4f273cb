import type { ExtractedCase } from './extract-case.ts';

/** The flat view of an extracted case that `concierge extract --json` prints and the bench scores. */
export interface CaseFields {
  codes: string[];
  message: string | null;
  report: string | null;
  /** ISO 8601 with the sender's offset. */
  time: string | null;
  timeText: string | null;
  org: string | null;
}

export function caseFields(c: ExtractedCase): CaseFields {
  return {
    codes: c.codes.map((x) => x.value),
    message: c.message?.value ?? null,
    report: c.report?.value ?? null,
    time: c.time?.value ?? null,
    timeText: c.time?.text ?? null,
    org: c.org?.value ?? null,
  };
}
