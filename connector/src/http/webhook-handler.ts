// POST /webhooks/scope[/<token>]: the raw body goes through receiveDelivery (verify before parse);
// this adapter only maps results to statuses and answers after the delivery is durably stored.
import type { Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import type { StoreResult } from '../queue/delivery-store.ts';
import { receiveDelivery } from '../webhooks/receive-delivery.ts';
import type {
  DeliveryRecord,
  ReceivePolicy,
  RejectionKind,
  ReceiveResult
} from '../webhooks/receive-delivery.ts';
import { sendError } from './error-body.ts';

const STATUS: Record<RejectionKind, number> = {
  signature: 401,
  malformed: 400,
  media_type: 415
};
const OUTCOME = {
  signature: 'rejected_signature',
  malformed: 'rejected_malformed',
  media_type: 'rejected_media_type'
} as const;

export interface WebhookHandlerOptions {
  policy: ReceivePolicy;
  /** The durable store: answers once the delivery is committed (group commit in the connector). */
  store: (record: DeliveryRecord) => Promise<StoreResult>;
  metrics?: ConnectorMetrics;
  logger?: Logger;
}

type Rejected = Extract<ReceiveResult, { kind: 'rejected' }>;
type Ignored = Extract<ReceiveResult, { kind: 'ignored' }>;

function answerRejected(
  options: WebhookHandlerOptions,
  req: Request,
  res: Response,
  result: Rejected
): void {
  options.metrics?.delivery(OUTCOME[result.rejection]);
  const bytes = Buffer.isBuffer(req.body) ? req.body.length : 0;
  options.logger?.warn(
    { code: result.code, field: result.field, ip: req.ip, bytes },
    'webhook rejected'
  );
  const status = STATUS[result.rejection];
  sendError(res, status, result.code, result.message, result.field);
}

function answerIgnored(
  options: WebhookHandlerOptions,
  res: Response,
  result: Ignored
): void {
  options.metrics?.delivery('ignored');
  options.logger?.info(
    {
      resourceId: result.resourceId,
      generation: result.generation,
      reason: result.reason
    },
    'webhook ignored'
  );
  res.status(202).json({ status: 'ignored', reason: result.reason });
}

async function storeAndAnswer(
  options: WebhookHandlerOptions,
  res: Response,
  record: DeliveryRecord,
  started: bigint
): Promise<void> {
  const { metrics } = options;
  const log = options.logger?.child({
    deliveryId: record.deliveryId,
    resourceId: record.resourceId
  });
  try {
    const stored = await options.store(record);
    metrics?.delivery(stored.status);
    metrics?.ackLatency(Number(process.hrtime.bigint() - started) / 1e9);
    log?.debug(
      {
        status: stored.status,
        generation: record.generation,
        event: record.event
      },
      'webhook stored'
    );
    res
      .status(stored.status === 'accepted' ? 202 : 200)
      .json({ status: stored.status, deliveryId: record.deliveryId });
  } catch (error) {
    metrics?.delivery('error');
    log?.error({ err: error }, 'webhook could not be stored');
    // 503 tells the sender to retry later: nothing was acknowledged
    sendError(
      res,
      503,
      'storage_unavailable',
      'the delivery could not be stored; retry later'
    );
  }
}

export function createWebhookHandler(options: WebhookHandlerOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = process.hrtime.bigint();
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const pathToken =
      typeof req.params.token === 'string' ? req.params.token : undefined;
    const result = receiveDelivery(
      { rawBody, headers: req.headers, pathToken },
      options.policy
    );
    if (result.kind === 'rejected')
      return answerRejected(options, req, res, result);
    if (
      result.authentication.startsWith('log-only') ||
      result.authentication === 'unsigned-allowed'
    ) {
      options.logger?.warn(
        { authentication: result.authentication },
        'webhook accepted without a valid signature'
      );
    }
    if (result.kind === 'ignored') return answerIgnored(options, res, result);
    await storeAndAnswer(options, res, result.record, started);
  };
}
