// The typed error every Salesforce failure becomes (HTTP call, token request, or one record of a batch).
/** A failed Salesforce request, or one record's failure inside a Collections response. */
export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  /** HTTP status when there was a response (undefined for network failures and per-record errors). */
  readonly status: number | undefined;
  /** Salesforce errorCode (e.g. UNABLE_TO_LOCK_ROW), OAuth `error`, or NETWORK_ERROR. */
  readonly errorCode: string;
  readonly fields: readonly string[];

  constructor(
    message: string,
    options: {
      errorCode: string;
      status?: number;
      fields?: readonly string[];
      cause?: unknown;
    }
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause }
    );
    this.errorCode = options.errorCode;
    this.status = options.status;
    this.fields = options.fields ?? [];
  }
}
