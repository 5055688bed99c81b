// One batch in progress: what every stage takes besides its own input (the processor's settings, the
// batch's clock reading, the ledger where a stage settles the resources it cannot take further).
import type { OutcomeLedger } from './outcome-ledger.ts';
import type { ProcessorSettings } from './processor-settings.ts';

export interface Batch {
  readonly settings: ProcessorSettings;
  readonly outcomes: OutcomeLedger;
  readonly stamp: Date;
}
