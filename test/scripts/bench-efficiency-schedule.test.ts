// The efficiency benchmark's arrival process is reproducible: one seed, one schedule (times and delivery
// ids), every session a whole life in order; and it can be made tiny through the environment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSchedule,
  scheduleFromEnv
} from '../../scripts/bench-efficiency/schedule.ts';
import {
  floorsFor,
  promptWriteCount,
  reproducibility
} from '../../scripts/bench-efficiency/report.ts';
import type { ConnectorRun } from '../../scripts/bench-efficiency/connector-run.ts';

const tiny = scheduleFromEnv({
  BENCH_SESSIONS: '30',
  BENCH_SEED: '7',
  BENCH_COMPRESSION: '60'
});

describe('efficiency benchmark schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(buildSchedule(tiny), buildSchedule(tiny));
    assert.notDeepEqual(
      buildSchedule(tiny),
      buildSchedule({ ...tiny, seed: 8 })
    );
  });

  it('gives every session created, 5–20 progress updates and completed, in time order', () => {
    const schedule = buildSchedule(tiny);
    assert.equal(schedule.length, 30);
    for (const life of schedule) {
      assert.equal(life[0]?.kind, 'created');
      assert.equal(life.at(-1)?.kind, 'completed');
      const progress = life.filter((d) => d.kind === 'progress').length;
      assert.ok(progress >= 5 && progress <= 20, `${progress} updates`);
      for (let i = 1; i < life.length; i++)
        assert.ok((life[i]?.atMs ?? 0) >= (life[i - 1]?.atMs ?? 0));
      const lifeMs = (life.at(-1)?.atMs ?? 0) - (life[0]?.atMs ?? 0);
      // 3–10 simulated minutes at 60× → 3–10 s
      assert.ok(lifeMs >= 2999 && lifeMs <= 10_001, `${lifeMs} ms`);
    }
  });

  it('checks two runs within 5 % and states the floors', () => {
    const run = (salesforceCalls: number, graphqlRequests: number) =>
      ({ salesforceCalls, graphqlRequests }) as ConnectorRun;
    assert.equal(reproducibility([run(100, 40), run(104, 41)]).ok, true);
    assert.equal(reproducibility([run(100, 40), run(110, 40)]).ok, false);
    assert.deepEqual(floorsFor(2000, 50), {
      salesforce: 21,
      graphql: 40,
      promptWrites: 0,
      promptSalesforce: 11,
      promptGraphql: 40
    });
  });

  it('counts the fewest writes that carry every completion within 5 s', () => {
    assert.equal(promptWriteCount([], 5000), 0);
    // one write at 5.0 s carries 0–5 s; 5.1 s needs a second, which carries up to 10.1 s
    assert.equal(promptWriteCount([4000, 0, 5000, 5100, 10_100], 5000), 2);
    assert.equal(promptWriteCount([0, 5001, 10_002], 5000), 3);
    const floors = floorsFor(400, 50, [0, 1000, 9000]);
    assert.equal(floors.promptWrites, 2);
    assert.equal(floors.promptSalesforce, 2 + 2 + 1);
    assert.equal(floors.promptGraphql, 8, 'never below the fetch floor');
  });
});
