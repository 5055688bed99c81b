// The worker module: the BatchProcessor and the one error classification its stages share.
export { createBatchProcessor } from './batch-processor.ts';
export type { BatchProcessorOptions } from './batch-processor.ts';
export {
  classifyError,
  classifyRecordErrors,
  RETRYABLE_SALESFORCE_CODES
} from './classify-error.ts';
export type { Classification } from './classify-error.ts';
