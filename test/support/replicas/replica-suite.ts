// The replica suites' common set-up: one shared PostgreSQL and one replica world (both sandboxes) for
// the test file, started before its tests and closed after them.
import { after, before } from 'node:test';
import { startReplicaWorld } from './replica-world.ts';
import type { ReplicaWorld, ReplicaWorldOptions } from './replica-world.ts';
import { startSharedPostgres } from '../shared-postgres.ts';
import type { SharedPostgres } from '../shared-postgres.ts';

export interface ReplicaSuite {
  readonly postgres: SharedPostgres;
  readonly world: ReplicaWorld;
}

export function replicaSuite(options: ReplicaWorldOptions): ReplicaSuite {
  let postgres: SharedPostgres | undefined;
  let world: ReplicaWorld | undefined;
  before(async () => {
    postgres = await startSharedPostgres();
    world = await startReplicaWorld(options);
  });
  after(async () => {
    await world?.close();
    await postgres?.dispose();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite starts in before()');
    return value;
  };
  return {
    get postgres() {
      return started(postgres);
    },
    get world() {
      return started(world);
    }
  };
}
