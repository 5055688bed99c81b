// /readyz: the database and both APIs, each check bounded by a timeout and the result cached for a
// few seconds so that probes do not turn into API traffic.
export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
  checkedAt: string;
}

export function createReadiness(
  checks: Record<string, ReadinessCheck>,
  options: { cacheMs?: number; timeoutMs?: number } = {}
) {
  const cacheMs = options.cacheMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 3000;
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;

  const runOne = async (check: ReadinessCheck) => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${timeoutMs} ms`)),
            timeoutMs
          );
        })
      ]);
      return { ok: true, ms: Date.now() - started };
    } catch (error) {
      return {
        ok: false,
        error: (error as Error).message.slice(0, 300),
        ms: Date.now() - started
      };
    } finally {
      clearTimeout(timer);
    }
  };

  const run = async (): Promise<ReadinessReport> => {
    const names = Object.keys(checks);
    const results = await Promise.all(
      names.map((name) => runOne(checks[name] as ReadinessCheck))
    );
    const report = Object.fromEntries(
      names.map((name, i) => [
        name,
        results[i] as ReadinessReport['checks'][string]
      ])
    );
    return {
      ready: results.every((r) => r.ok),
      checks: report,
      checkedAt: new Date().toISOString()
    };
  };

  return {
    check: (): Promise<ReadinessReport> => {
      if (!cached || Date.now() - cached.at > cacheMs)
        cached = { at: Date.now(), report: run() };
      return cached.report;
    }
  };
}

export type Readiness = ReturnType<typeof createReadiness>;
