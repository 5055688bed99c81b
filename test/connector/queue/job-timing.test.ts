// Which deliveries are final states, where their windows end, and how far a low API budget widens the
// progress window (queue/job-timing.ts, worker/progress-delay.ts): pure rules, no database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isFinalDelivery,
  nextWindowEndMs,
  windowEnd
} from '../../../connector/src/queue/job-timing.ts';
import { timedResourceJobs } from '../../../connector/src/queue/resource-queue.ts';
import type { BudgetState } from '../../../connector/src/salesforce/api-budget.ts';
import {
  WIDEN_MAX,
  extraProgressSeconds
} from '../../../connector/src/worker/progress-delay.ts';

const budget = (spentWindow: number, windowAllowance: number): BudgetState => ({
  dailyBudget: windowAllowance * 24,
  windowAllowance,
  spentWindow,
  spent24h: spentWindow,
  projected24h: 0,
  retryInMs: 0
});

describe('job timing', () => {
  it('knows final states by verb (both generations) and by an ended payload node', () => {
    assert.equal(isFinalDelivery({ event: 'completed' }), true);
    assert.equal(isFinalDelivery({ event: 'finished' }), true);
    assert.equal(isFinalDelivery({ event: 'updated' }), false);
    assert.equal(isFinalDelivery({ event: 'created' }), false);
    assert.equal(
      isFinalDelivery({
        event: 'delivered',
        node: { endedAt: '2026-12-03T10:00:00Z' }
      }),
      true
    );
    assert.equal(
      isFinalDelivery({ event: 'updated', node: { endedAt: null } }),
      false
    );
  });

  it('ends windows on a grid of the window, within one window of now', () => {
    const now = Date.parse('2026-12-03T10:00:07.300Z');
    assert.equal(windowEnd(20, now), '2026-12-03T10:00:20.000Z');
    assert.equal(windowEnd(2, now), '2026-12-03T10:00:08.000Z');
    assert.equal(windowEnd(0, now), undefined);
  });

  it('knows when the next window of either kind ends', () => {
    const now = Date.parse('2026-12-03T10:00:07.300Z');
    const at = (ms: number | undefined) =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    assert.equal(
      at(nextWindowEndMs({ progressSeconds: 20, finalSeconds: 2 }, now)),
      '2026-12-03T10:00:08.000Z'
    );
    assert.equal(
      at(nextWindowEndMs({ progressSeconds: 5, finalSeconds: 0 }, now)),
      '2026-12-03T10:00:10.000Z',
      'a zero final window starts at once: the progress window is next'
    );
    assert.equal(
      nextWindowEndMs({ progressSeconds: 0, finalSeconds: 0 }, now),
      undefined
    );
  });

  it('gives a resource with any final delivery the final window and priority', () => {
    const now = Date.parse('2026-12-03T10:00:07.300Z');
    const timed = timedResourceJobs(
      [
        { resourceId: 'A', event: 'updated' },
        { resourceId: 'A', event: 'completed' },
        { resourceId: 'B', event: 'updated' }
      ],
      { progressSeconds: 20, finalSeconds: 2 },
      now
    );
    const byId = new Map(timed.jobs.map((j) => [j.singletonKey, j]));
    assert.deepEqual(timed.finalIds, ['A']);
    assert.equal(byId.get('A')?.startAfter, '2026-12-03T10:00:08.000Z');
    assert.equal(byId.get('A')?.priority, 1);
    assert.equal(byId.get('B')?.startAfter, '2026-12-03T10:00:20.000Z');
    assert.equal(byId.get('B')?.priority, undefined);
  });

  it('widens only past half the budget, up to WIDEN_MAX windows', () => {
    assert.equal(extraProgressSeconds(budget(40, 100), 20), 0);
    assert.equal(
      extraProgressSeconds(budget(75, 100), 20),
      (20 * WIDEN_MAX) / 2
    );
    assert.equal(extraProgressSeconds(budget(150, 100), 20), 20 * WIDEN_MAX);
    assert.equal(
      extraProgressSeconds(
        { spentWindow: 1e6, spent24h: 1e6, projected24h: 0, retryInMs: 0 },
        20
      ),
      0,
      'no budget, no widening'
    );
  });
});
