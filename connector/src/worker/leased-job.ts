// A job the worker loop fetched and leased: the subset of pg-boss's JobWithMetadata the worker reads.
import type { ResourceJobData } from '../queue/resource-queue.ts';

export interface LeasedJob {
  id: string;
  name: string;
  data: ResourceJobData;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
}
