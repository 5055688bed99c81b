// Request counters for GET /sandbox/stats: benchmarks and the connector's tests count API calls here.

export interface StatsSnapshot {
  graphqlRequests: number;
  nodesRequested: number;
  operations: Record<string, number>;
  rejected: Record<string, number>;
  signIns: number;
  restRequests: number;
  injectedFaults: Record<string, number>;
}

export interface Stats {
  operation(name: string, nodes: number): void;
  rejected(reason: string): void;
  signIn(): void;
  rest(): void;
  fault(kind: string): void;
  snapshot(): StatsSnapshot;
  reset(): void;
}

export function createStats(): Stats {
  let state: StatsSnapshot;
  const reset = () => {
    state = {
      graphqlRequests: 0,
      nodesRequested: 0,
      operations: {},
      rejected: {},
      signIns: 0,
      restRequests: 0,
      injectedFaults: {}
    };
  };
  reset();
  const bump = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };
  return {
    operation(name, nodes) {
      state.graphqlRequests += 1;
      state.nodesRequested += nodes;
      bump(state.operations, name);
    },
    rejected(reason) {
      state.graphqlRequests += 1;
      bump(state.rejected, reason);
    },
    signIn() {
      state.signIns += 1;
    },
    rest() {
      state.restRequests += 1;
    },
    fault(kind) {
      bump(state.injectedFaults, kind);
    },
    snapshot: () => structuredClone(state),
    reset
  };
}
