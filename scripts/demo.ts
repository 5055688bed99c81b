// npm run demo: the whole loop on one machine: both sandboxes, the connector and the Work Order page preview.
import { Command, InvalidArgumentError } from 'commander';
import { PORT_FLAGS, startDemo } from '../demo/start-demo.ts';
import type { Demo } from '../demo/start-demo.ts';
import { formatDemoStats } from '../demo/demo-stats.ts';
import { PortInUseError } from '../demo/ports.ts';

const SUMMARY_EVERY_MS = 5000;
const SUMMARY_HEARTBEAT_MS = 30_000;

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min} to ${max}`
      );
    }
    return value;
  };
}

const port = integer(0, 65_535);
const program = new Command('demo')
  .description(
    'Run Scope sandbox, Salesforce sandbox, connector and the Work Order page preview on 127.0.0.1'
  )
  .option(`${PORT_FLAGS.preview} <port>`, 'Work Order page preview', port, 4000)
  .option(
    `${PORT_FLAGS.scope} <port>`,
    'Scope AR sandbox (API, webhooks, simulator)',
    port,
    4010
  )
  .option(
    `${PORT_FLAGS.salesforce} <port>`,
    'Salesforce sandbox (REST API)',
    port,
    4020
  )
  .option(
    `${PORT_FLAGS.connector} <port>`,
    'connector (webhooks, /metrics)',
    port,
    4030
  )
  .option(
    '--data <dir>',
    'keep state (database, logs) in this folder instead of a temporary one'
  )
  .option(
    '--step-ms <ms>',
    'simulator step interval: how fast a session advances',
    integer(50, 60_000),
    1000
  )
  .parse();

const options = program.opts<{
  previewPort: number;
  scopePort: number;
  salesforcePort: number;
  connectorPort: number;
  data?: string;
  stepMs: number;
}>();

const say = (line: string) => process.stdout.write(`${line}\n`);

// Signals are handled from the first moment: Ctrl-C during start-up must still stop the connector,
// which runs in its own process group and would otherwise outlive the demo.
const aborter = new AbortController();
let demo: Demo | undefined;
let summary: NodeJS.Timeout | undefined;
let stoppingSince = 0;
const shutdown = (signal: NodeJS.Signals) => {
  if (stoppingSince > 0) {
    // npm and tsx relay the terminal's Ctrl-C, so one key press can arrive twice: only a later one forces.
    if (Date.now() - stoppingSince < 1000) return;
    say(`${signal} again: exiting without waiting.`);
    process.exit(130);
  }
  stoppingSince = Date.now();
  clearInterval(summary);
  say(`\n${signal}: stopping the connector, then the sandboxes…`);
  if (!demo) {
    aborter.abort();
    return;
  }
  demo.stop().then(
    () => {
      say('Stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('Stopping failed:', error);
      process.exit(1);
    }
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  say('Starting the WorkLink demo…');
  demo = await startDemo({
    ports: {
      preview: options.previewPort,
      scope: options.scopePort,
      salesforce: options.salesforcePort,
      connector: options.connectorPort
    },
    dataDir: options.data,
    stepMs: options.stepMs,
    signal: aborter.signal,
    log: (line) => say(`  ${line}`)
  });
  const { urls, dataDir } = demo;
  const running = demo;

  say('');
  say(`Work Order page preview  ${urls.preview}/work-orders/00000101`);
  say(
    `  phone layout           ${urls.preview}/work-orders/00000101?formFactor=Small`
  );
  say(`  without an asset       ${urls.preview}/work-orders/00000105`);
  say(`WorkLink app: inbox      ${urls.preview}/worklink/inbox`);
  say(`  health                 ${urls.preview}/worklink/health`);
  say(`  AR Impact              ${urls.preview}/worklink/ar-impact`);
  say(`Connector metrics        ${urls.connector}/metrics`);
  say(
    `State                    ${dataDir}${options.data ? '' : ' (temporary, removed on exit; keep it with --data DIR)'}`
  );
  say(
    'Click "Launch in WorkLink" or "Call expert": the session appears in the related list. Ctrl-C stops everything.'
  );
  say('');

  let lastLine = '';
  let lastPrinted = 0;
  summary = setInterval(() => {
    void running.stats().then((stats) => {
      const line = formatDemoStats(stats);
      if (
        line !== lastLine ||
        Date.now() - lastPrinted >= SUMMARY_HEARTBEAT_MS
      ) {
        say(`[${new Date().toLocaleTimeString()}] ${line}`);
        lastLine = line;
        lastPrinted = Date.now();
      }
    });
  }, SUMMARY_EVERY_MS);
} catch (error) {
  if (aborter.signal.aborted) {
    say('Stopped.');
    process.exit(130);
  }
  if (error instanceof PortInUseError) {
    console.error(`\n${error.message}`);
  } else {
    console.error(
      '\nThe demo could not start:',
      error instanceof Error ? error.message : error
    );
  }
  process.exit(1);
}
