// How a faked route says no: thrown anywhere below the HTTP handler, answered as is.
import { randomUUID } from 'node:crypto';

export class Refusal {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly note: string | undefined;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}, note?: string) {
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.note = note;
  }
}

/** Xero's problem-details shape for 401, 403 and 404 on the API. */
export function problem(status: number, title: string, detail: string) {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

/** Xero's answer to a body it cannot read (bad JSON, wrong types): ErrorNumber 14. */
export function postDataInvalid(message: string): Refusal {
  return new Refusal(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message }, {}, message);
}

/** Xero's date shapes: /Date(ms+0000)/ in JSON bodies. */
export const msDate = (ms: number) => `/Date(${ms}+0000)/`;
