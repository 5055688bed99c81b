import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { permissionSetXml } from './helpers.ts';
import type { FieldPermission } from './helpers.ts';

const SOURCE = join(process.cwd(), 'force-app', 'main', 'default', 'objects');
const SESSION = 'Scope_AR_Session__c';

/** A temporary copy of the package's objects, to change metadata without touching force-app. */
export function copyMetadata() {
  const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-metadata-'));
  cpSync(SOURCE, join(dir, 'objects'), { recursive: true });
  return {
    dir,
    sessionFields: () =>
      readdirSync(join(dir, 'objects', SESSION, 'fields')).map((f) =>
        f.replace('.field-meta.xml', '')
      ),
    writeField(object: string, name: string, xml: string): void {
      mkdirSync(join(dir, 'objects', object, 'fields'), { recursive: true });
      writeFileSync(
        join(dir, 'objects', object, 'fields', `${name}.field-meta.xml`),
        xml
      );
    },
    removeField(object: string, name: string): void {
      rmSync(join(dir, 'objects', object, 'fields', `${name}.field-meta.xml`));
    },
    /** Writes WorkLink_Integration with full access to the session object except the given overrides. */
    writePermissionSet(overrides: FieldPermission[] = []): void {
      const fields = this.sessionFields()
        .filter((name) => name !== 'Scope_Id__c') // required fields take no field permissions
        .map(
          (name) =>
            overrides.find((o) => o.field === `${SESSION}.${name}`) ?? {
              field: `${SESSION}.${name}`,
              readable: true,
              editable: true
            }
        );
      const extra = overrides.filter((o) => !fields.includes(o));
      mkdirSync(join(dir, 'permissionsets'), { recursive: true });
      writeFileSync(
        join(
          dir,
          'permissionsets',
          'WorkLink_Integration.permissionset-meta.xml'
        ),
        permissionSetXml(
          [
            {
              object: SESSION,
              create: true,
              edit: true,
              read: true,
              delete: true
            }
          ],
          [
            ...fields,
            ...extra,
            {
              field: 'Asset.Scope_Asset_Id__c',
              readable: true,
              editable: false
            },
            {
              field: 'WorkOrder.WorkLink_Expert__c',
              readable: true,
              editable: false
            },
            {
              field: 'User.WorkLink_Call_Link__c',
              readable: true,
              editable: false
            }
          ]
        )
      );
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  };
}

export const textFieldXml = (
  name: string,
  length: number
) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${name.replace(/__c$/, '').replace(/_/g, ' ')}</label>
    <length>${length}</length>
    <required>false</required>
    <type>Text</type>
    <unique>false</unique>
</CustomField>
`;
