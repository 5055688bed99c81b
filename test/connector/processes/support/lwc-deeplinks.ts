// The LWC's own pure deeplink module (force-app/.../worklinkDeeplinks.js) loaded in Node, so the end-to-end
// tests open exactly the links the Work Order page builds. It is plain ESM without imports; only its
// types are declared here (the project does not type-check force-app JavaScript).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../../support/replicas/replica-process.ts';

export interface WorkOrderLinkInput {
  workOrderId?: string;
  workOrderNumber?: string;
  workOrderLineItemId?: string;
  serviceAppointmentId?: string;
  caseId?: string | null;
  caseNumber?: string;
}

export interface WorklinkDeeplinks {
  buildLaunchLink(
    input: WorkOrderLinkInput & { assetId: string }
  ): string | null;
  buildCallLink(
    input: WorkOrderLinkInput & { callLink: string }
  ): string | null;
}

const MODULE = join(
  REPO_ROOT,
  'force-app/main/default/lwc/worklinkDeeplinks/worklinkDeeplinks.js'
);

export async function loadDeeplinks(): Promise<WorklinkDeeplinks> {
  const module = (await import(
    pathToFileURL(MODULE).href
  )) as WorklinkDeeplinks;
  if (
    typeof module.buildLaunchLink !== 'function' ||
    typeof module.buildCallLink !== 'function'
  )
    throw new Error(
      `${MODULE} no longer exports buildLaunchLink/buildCallLink`
    );
  return module;
}
