// The one error body of every 4xx/5xx answer the connector sends: `{ error: { code, message, field? } }`.
import type { Response } from 'express';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Every 4xx/5xx answer of the connector: `{ error: { code, message, field? } }`. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  field?: string
): void {
  const body: ErrorBody = {
    error: { code, message, ...(field ? { field } : {}) }
  };
  res.status(status).json(body);
}
