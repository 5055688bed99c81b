// The sandbox tests run on a copy of force-app whose WorkLink_Integration permission set also grants the
// standard fields the tests read. The sandbox enforces field-level security on standard fields as a
// real org does, and the package's own grants are being changed elsewhere: this copy keeps these tests
// independent of that change.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join(process.cwd(), 'force-app', 'main', 'default');
const PERMISSION_SET = join(
  'permissionsets',
  'WorkLink_Integration.permissionset-meta.xml'
);

/** Fields granted read-only in the test copy, beyond what the package grants. */
export const STANDARD_FIELD_GRANTS = [
  'WorkOrder.Subject',
  'WorkOrder.Description',
  'WorkOrder.Status',
  'WorkOrder.StatusCategory',
  'WorkOrder.IsClosed',
  'WorkOrder.Priority',
  'WorkOrder.StartDate',
  'WorkOrder.EndDate',
  'WorkOrder.AssetId',
  'WorkOrder.CaseId',
  'Case.Subject',
  'Case.Description',
  'Case.Status',
  'Case.Priority',
  'Case.Origin',
  'Case.IsClosed',
  'Case.ClosedDate',
  'Case.AssetId',
  'Asset.SerialNumber',
  'Asset.Status',
  'Asset.Description',
  // The launcher's fields: the package grants them to technicians (WorkLink_User), not to the connector.
  'Asset.Scope_Asset_Id__c',
  'WorkOrder.WorkLink_Expert__c',
  'User.WorkLink_Call_Link__c',
  // The WorkOrder formula fields: reports read them, the connector does not.
  'WorkOrder.WorkLink_Closed_At__c',
  'WorkOrder.WorkLink_Resolution_Hours__c'
];

/** Adds read-only `fieldPermissions` for `fields` the permission set does not mention yet. */
export function grantFields(xml: string, fields: readonly string[]): string {
  const missing = fields.filter((f) => !xml.includes(`<field>${f}</field>`));
  const entries = missing
    .map(
      (f) =>
        `    <fieldPermissions>\n        <editable>false</editable>\n        <field>${f}</field>\n        <readable>true</readable>\n    </fieldPermissions>\n`
    )
    .join('');
  return xml.replace(/(<PermissionSet[^>]*>\n)/, `$1${entries}`);
}

let copy: string | undefined;

/** The directory of the test copy (made once per test process, removed at exit). */
export function integrationMetadataDir(): string {
  if (copy) return copy;
  const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-force-app-'));
  cpSync(join(SOURCE, 'objects'), join(dir, 'objects'), { recursive: true });
  cpSync(join(SOURCE, 'permissionsets'), join(dir, 'permissionsets'), {
    recursive: true
  });
  const file = join(dir, PERMISSION_SET);
  writeFileSync(
    file,
    grantFields(readFileSync(file, 'utf8'), STANDARD_FIELD_GRANTS)
  );
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  copy = dir;
  return dir;
}
