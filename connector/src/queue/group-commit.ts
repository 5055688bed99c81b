// Group commit: concurrent submissions are collected for `windowMs` (or until `maxBatch`) and committed
// together by one `commit` call; every submitter is answered after that commit. A batch that fails as a
// whole is committed again item by item, so one poisonous item cannot fail the others.
import type { Logger } from '../logger.ts';

export interface GroupCommitOptions<T, R> {
  /** Commits a batch; answers one result per item, in order. */
  commit(items: T[]): Promise<R[]>;
  windowMs: number;
  maxBatch: number;
  /** Commits in flight at once; further submissions wait and join the next batch. */
  maxConcurrentCommits: number;
  logger?: Logger;
  onBatch?: (size: number) => void;
}

export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

async function commitOneByOne<T, R>(
  options: GroupCommitOptions<T, R>,
  batch: Pending<T, R>[]
): Promise<void> {
  for (const pending of batch) {
    try {
      const [result] = await options.commit([pending.item]);
      pending.resolve(result as R);
    } catch (error) {
      pending.reject(error);
    }
  }
}

async function commitBatch<T, R>(
  options: GroupCommitOptions<T, R>,
  batch: Pending<T, R>[]
): Promise<void> {
  options.onBatch?.(batch.length);
  try {
    const results = await options.commit(batch.map((p) => p.item));
    batch.forEach((p, i) => p.resolve(results[i] as R));
  } catch (error) {
    if (batch.length === 1) return batch[0]?.reject(error);
    options.logger?.warn(
      { err: error, size: batch.length },
      'group commit failed; committing its items one by one'
    );
    await commitOneByOne(options, batch);
  }
}

export function createGroupCommit<T, R>(
  options: GroupCommitOptions<T, R>
): GroupCommit<T, R> {
  let queue: Pending<T, R>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  const idle: (() => void)[] = [];

  const flush = async (): Promise<void> => {
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    if (batch.length === 0) return;
    inFlight++;
    try {
      await commitBatch(options, batch);
    } finally {
      inFlight--;
      if (queue.length > 0) schedule();
      else if (inFlight === 0) idle.splice(0).forEach((done) => done());
    }
  };

  function schedule(): void {
    if (queue.length === 0 || inFlight >= options.maxConcurrentCommits) return;
    if (queue.length >= options.maxBatch) {
      clearTimeout(timer);
      timer = undefined;
      void flush();
    } else {
      timer ??= setTimeout(() => {
        timer = undefined;
        void flush();
      }, options.windowMs);
    }
  }

  return {
    submit: (item) =>
      new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      }),
    drain: () =>
      queue.length === 0 && inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((done) => idle.push(done))
  };
}
