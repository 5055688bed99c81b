// The Salesforce API budget (SF_API_BUDGET) on a clock of its own: parsing, the even spend per window,
// the 24-hour cap with one batch's reserve, a share known only once Salesforce reports the allowance,
// and the org-wide yield that lets one probing batch through per interval.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../connector/src/config.ts';
import {
  BATCH_CALL_RESERVE,
  createApiBudget,
  parseApiBudget
} from '../../../connector/src/salesforce/api-budget.ts';
import type { ApiBudgetOptions } from '../../../connector/src/salesforce/api-budget.ts';

const DAY = 86_400_000;

function clockedBudget(options: Omit<ApiBudgetOptions, 'now'>) {
  let now = Date.parse('2026-12-03T08:00:00Z');
  const budget = createApiBudget({ ...options, now: () => now });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    budget,
    advance: (ms: number) => {
      now += ms;
    },
    spend: async (calls: number) => {
      for (let i = 0; i < calls; i++) budget.spend();
      await settle();
    }
  };
}

describe('SF_API_BUDGET', () => {
  it('reads a share or a number of calls, and names the variable when it is neither', () => {
    assert.deepEqual(parseApiBudget('10%'), { kind: 'share', fraction: 0.1 });
    assert.deepEqual(parseApiBudget(' 2.5 % '), {
      kind: 'share',
      fraction: 0.025
    });
    assert.deepEqual(parseApiBudget('5000'), { kind: 'calls', perDay: 5000 });
    assert.equal(parseApiBudget(''), undefined);
    for (const bad of ['0%', '150%', '0', '-5', 'ten', '10 calls'])
      assert.throws(() => parseApiBudget(bad), /expected a share/, bad);
    assert.throws(
      () => loadConfig({ SF_API_BUDGET: '120%' }),
      /SF_API_BUDGET.*expected a share/s
    );
    assert.deepEqual(loadConfig({}).salesforce.apiBudget, {
      kind: 'share',
      fraction: 0.5
    });
    assert.equal(
      loadConfig({ SF_API_BUDGET: '' }).salesforce.apiBudget,
      undefined
    );
  });
});

describe('API budget', () => {
  it('spends evenly: a window’s share, then waits until the window has moved on', async () => {
    // 86,400 calls a day over 10 s windows: 10 calls per window
    const c = clockedBudget({
      setting: { kind: 'calls', perDay: 86_400 },
      windowSeconds: 10,
      orgYieldAt: 0.9
    });
    assert.equal(await c.budget.admission(), 0);
    await c.spend(9);
    assert.equal(await c.budget.admission(), 0, '9 of 10 spent');
    await c.spend(1);
    const state = await c.budget.check();
    assert.equal(state.blocked, 'window');
    assert.equal(state.windowAllowance, 10);
    assert.equal(await c.budget.admission(), 10_000);
    c.advance(10_001);
    assert.equal(await c.budget.admission(), 0, 'the window moved on');
    assert.equal((await c.budget.check()).spent24h, 10);
  });

  it('lets photo copies spend only FILES_BUDGET_SHARE of a window and of the day; session records the rest', async () => {
    // 86,400 calls a day over 10 s windows: 10 calls per window, 5 of them for photos
    const c = clockedBudget({
      setting: { kind: 'calls', perDay: 86_400 },
      windowSeconds: 10,
      orgYieldAt: 0.9,
      filesShare: 0.5
    });
    await c.spend(4);
    assert.equal(await c.budget.admission('files'), 0, '4 of 5 spent');
    await c.spend(1);
    assert.equal((await c.budget.check('files')).blocked, 'window');
    assert.ok((await c.budget.admission('files')) > 0, 'photos wait');
    assert.equal(await c.budget.admission(), 0, 'sessions go on');
    await c.spend(5);
    assert.equal((await c.budget.check()).blocked, 'window');
    c.advance(10_001);
    assert.equal(await c.budget.admission('files'), 0, 'the window moved on');

    const day = clockedBudget({
      setting: { kind: 'calls', perDay: 100 },
      windowSeconds: 86_400,
      orgYieldAt: 0.9,
      filesShare: 0.25
    });
    await day.spend(25 - BATCH_CALL_RESERVE);
    assert.equal(await day.budget.admission('files'), 0);
    await day.spend(1);
    assert.equal((await day.budget.check('files')).blocked, 'daily');
    assert.equal((await day.budget.check()).blocked, undefined);
    assert.equal(loadConfig({}).files.budgetShare, 0.5);
    assert.throws(
      () => loadConfig({ FILES_BUDGET_SHARE: '0' }),
      /FILES_BUDGET_SHARE/
    );
  });

  it('never starts a batch that could take the day over the budget', async () => {
    const c = clockedBudget({
      setting: { kind: 'calls', perDay: 40 },
      windowSeconds: 60,
      orgYieldAt: 0.9
    });
    for (let minute = 0; minute < 7; minute++) {
      await c.spend(5);
      c.advance(60_001);
    }
    assert.equal((await c.budget.check()).spent24h, 35);
    assert.equal((await c.budget.check()).blocked, undefined, '35 + 5 ≤ 40');
    await c.spend(1);
    assert.equal(
      (await c.budget.check()).blocked,
      'daily',
      `36 + ${BATCH_CALL_RESERVE} > 40`
    );
    c.advance(DAY - 7 * 60_001 + 1);
    // the first minute's 5 calls have left the rolling 24 hours
    const later = await c.budget.check();
    assert.equal(later.spent24h, 31);
    assert.equal(later.blocked, undefined);
  });

  it('knows a share only once Salesforce has reported the allowance', async () => {
    const c = clockedBudget({
      setting: { kind: 'share', fraction: 0.1 },
      windowSeconds: 300,
      orgYieldAt: 0.9
    });
    assert.equal((await c.budget.check()).dailyBudget, undefined);
    c.budget.observeOrgUsage({ used: 100, max: 15_000 });
    const state = await c.budget.check();
    assert.equal(state.dailyBudget, 1500);
    // 1,500 a day over 5-minute windows is 5.2: never below one batch's 5
    assert.ok(Math.abs((state.windowAllowance ?? 0) - 1500 / 288) < 1e-9);
  });

  it('yields to the org near its limit, probing with one batch per interval', async () => {
    const c = clockedBudget({ windowSeconds: 300, orgYieldAt: 0.9 });
    c.budget.observeOrgUsage({ used: 9_100, max: 10_000 });
    const state = await c.budget.check();
    assert.equal(state.blocked, 'org');
    assert.equal(state.retryInMs, 60_000);
    c.advance(60_001);
    assert.equal(
      await c.budget.admission(),
      0,
      'a stale figure lets one batch probe'
    );
    c.budget.observeOrgUsage({ used: 9_200, max: 10_000 });
    assert.equal(await c.budget.admission(), 60_000);
    c.budget.observeOrgUsage({ used: 4_000, max: 10_000 });
    assert.equal(await c.budget.admission(), 0, 'the others’ usage went down');
  });

  it('projects the last hour over the day', async () => {
    const c = clockedBudget({
      setting: { kind: 'calls', perDay: 100_000 },
      windowSeconds: 60,
      orgYieldAt: 0.9
    });
    await c.spend(7);
    c.advance(2 * 3_600_000);
    await c.spend(3);
    const state = await c.budget.check();
    assert.equal(state.spent24h, 10);
    assert.equal(state.projected24h, 72);
  });
});
