/** One entry of the REST API's error array: `[{message, errorCode, fields}]`. */
export interface RestError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** One entry of a per-record result's `errors`: `{statusCode, message, fields}`. */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** An error that answers the whole request with `status` and the REST error array. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;
  /** A body other than the error array (300 Multiple Choices answers a list of record URLs). */
  readonly body: unknown;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    fields?: string[],
    body?: unknown
  ) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
    this.body = body;
  }

  toBody(): unknown {
    if (this.body !== undefined) return this.body;
    const entry: RestError = {
      message: this.message,
      errorCode: this.errorCode
    };
    if (this.fields) entry.fields = this.fields;
    return [entry];
  }
}

export const notFound = (): ApiError =>
  new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function recordError(
  statusCode: string,
  message: string,
  fields: string[] = []
): RecordError {
  return { statusCode, message, fields };
}

/** A single-record DML failure is answered as HTTP 400 with the errors in REST shape. */
export function recordErrorsToApiError(errors: RecordError[]): ApiError {
  const body: RestError[] = errors.map((e) => ({
    message: e.message,
    errorCode: e.statusCode,
    fields: e.fields
  }));
  const first = errors[0] ?? {
    statusCode: 'UNKNOWN_EXCEPTION',
    message: 'Unknown error',
    fields: []
  };
  return new ApiError(400, first.statusCode, first.message, first.fields, body);
}
