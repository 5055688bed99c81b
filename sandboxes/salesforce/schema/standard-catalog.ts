import { createFieldDef, lookup, picklist } from './field-def.ts';
import type { FieldDef, SObjectDef } from './types.ts';

/**
 * The one catalog of the standard objects the product touches, reduced to the fields it uses (the
 * sandbox emulates them; the metadata validator checks the package's references against them). Custom
 * fields that force-app puts on these objects are merged in by the metadata loader.
 */
const WORK_ORDER_STATUSES = [
  'New',
  'In Progress',
  'On Hold',
  'Completed',
  'Closed',
  'Cannot Complete',
  'Canceled'
];
const CASE_STATUSES = ['New', 'Working', 'Escalated', 'Closed'];
const APPOINTMENT_STATUSES = [
  'None',
  'Scheduled',
  'Dispatched',
  'In Progress',
  'Cannot Complete',
  'Completed',
  'Canceled'
];

/** Id and audit fields every object has. */
export function systemFields(): FieldDef[] {
  return [
    createFieldDef('Id', 'id', { system: true, label: 'Record ID' }),
    createFieldDef('CreatedDate', 'datetime', {
      system: true,
      label: 'Created Date'
    }),
    lookup('CreatedById', ['User'], {
      system: true,
      relationshipName: 'CreatedBy',
      label: 'Created By ID'
    }),
    createFieldDef('LastModifiedDate', 'datetime', {
      system: true,
      label: 'Last Modified Date'
    }),
    lookup('LastModifiedById', ['User'], {
      system: true,
      relationshipName: 'LastModifiedBy',
      label: 'Last Modified By ID'
    }),
    createFieldDef('SystemModstamp', 'datetime', {
      system: true,
      label: 'System Modstamp'
    }),
    createFieldDef('IsDeleted', 'boolean', { system: true, label: 'Deleted' })
  ];
}

/** Fields every custom object has beyond the system fields (no UI here, so they stay null). */
export function customObjectViewFields(): FieldDef[] {
  return [
    createFieldDef('LastViewedDate', 'datetime', {
      system: true,
      label: 'Last Viewed Date'
    }),
    createFieldDef('LastReferencedDate', 'datetime', {
      system: true,
      label: 'Last Referenced Date'
    })
  ];
}

export function owner(): FieldDef {
  return lookup('OwnerId', ['User'], { label: 'Owner ID' });
}

/** The name fields a person record has (User, Contact). */
function personName(): FieldDef[] {
  return [
    createFieldDef('Name', 'string', {
      label: 'Full Name',
      length: 121,
      system: true
    }),
    createFieldDef('FirstName', 'string', {
      label: 'First Name',
      length: 40
    }),
    createFieldDef('LastName', 'string', {
      label: 'Last Name',
      length: 80,
      required: true
    })
  ];
}

function autoNumber(
  name: string,
  displayFormat: string,
  label: string
): FieldDef {
  return createFieldDef(name, 'string', {
    system: true,
    length: 30,
    autoNumber: { displayFormat },
    label
  });
}

function standardObject(
  name: string,
  keyPrefix: string,
  labelPlural: string,
  fields: FieldDef[],
  label = name
): SObjectDef {
  const all = [...systemFields(), ...fields];
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    custom: false,
    fields: new Map(all.map((f) => [f.name, f]))
  };
}

/** Records a file can be published to or linked with (polymorphic FirstPublishLocationId, LinkedEntityId). */
const FILE_PARENTS = [
  'WorkOrder',
  'Case',
  'Asset',
  'User',
  'Contact',
  'Scope_AR_Session__c'
];

/** What the platform records about a file's bytes, on the version and on its document. */
function fileFacts(): FieldDef[] {
  return [
    createFieldDef('ContentSize', 'int', { label: 'Size', system: true }),
    createFieldDef('FileExtension', 'string', {
      label: 'File Extension',
      length: 40,
      system: true
    }),
    createFieldDef('FileType', 'string', {
      label: 'File Type',
      length: 20,
      system: true
    })
  ];
}

export function createStandardCatalog(): SObjectDef[] {
  return [
    standardObject(
      'WorkOrder',
      '0WO',
      'Work Orders',
      [
        autoNumber('WorkOrderNumber', '{00000000}', 'Work Order Number'),
        createFieldDef('Subject', 'string', { label: 'Subject' }),
        createFieldDef('Description', 'textarea', { label: 'Description' }),
        createFieldDef('Status', 'picklist', {
          label: 'Status',
          ...picklist(WORK_ORDER_STATUSES)
        }),
        createFieldDef('StatusCategory', 'picklist', {
          label: 'Status Category',
          system: true,
          ...picklist(WORK_ORDER_STATUSES)
        }),
        createFieldDef('IsClosed', 'boolean', {
          label: 'Closed',
          system: true
        }),
        createFieldDef('Priority', 'picklist', {
          label: 'Priority',
          ...picklist(['Low', 'Medium', 'High', 'Critical'])
        }),
        createFieldDef('StartDate', 'datetime', { label: 'Start Date' }),
        createFieldDef('EndDate', 'datetime', { label: 'End Date' }),
        lookup('AccountId', ['Account'], { label: 'Account ID' }),
        lookup('CaseId', ['Case'], { label: 'Case ID' }),
        lookup('AssetId', ['Asset'], { label: 'Asset ID' }),
        lookup('ContactId', ['Contact'], { label: 'Contact ID' }),
        owner()
      ],
      'Work Order'
    ),
    // Field Service: a Work Order's line items, and the appointments scheduled for a Work Order or a
    // Line Item (ParentRecordId is polymorphic). Technicians open these in the Field Service app.
    standardObject(
      'WorkOrderLineItem',
      '1WL',
      'Work Order Line Items',
      [
        autoNumber('LineItemNumber', '{00000}', 'Line Item Number'),
        lookup('WorkOrderId', ['WorkOrder'], {
          label: 'Work Order ID',
          required: true
        }),
        createFieldDef('Subject', 'string', { label: 'Subject' }),
        createFieldDef('Description', 'textarea', { label: 'Description' }),
        createFieldDef('Status', 'picklist', {
          label: 'Status',
          ...picklist(WORK_ORDER_STATUSES)
        }),
        lookup('AssetId', ['Asset'], { label: 'Asset ID' }),
        createFieldDef('StartDate', 'datetime', { label: 'Start Date' }),
        createFieldDef('EndDate', 'datetime', { label: 'End Date' })
      ],
      'Work Order Line Item'
    ),
    standardObject(
      'ServiceAppointment',
      '08p',
      'Service Appointments',
      [
        autoNumber('AppointmentNumber', 'SA-{0000}', 'Appointment Number'),
        lookup(
          'ParentRecordId',
          ['WorkOrder', 'WorkOrderLineItem', 'Asset', 'Account'],
          {
            label: 'Parent Record ID',
            required: true,
            relationshipName: 'ParentRecord'
          }
        ),
        createFieldDef('ParentRecordType', 'string', {
          label: 'Parent Record Type',
          length: 50,
          system: true
        }),
        createFieldDef('Subject', 'string', { label: 'Subject' }),
        createFieldDef('Description', 'textarea', { label: 'Description' }),
        createFieldDef('Status', 'picklist', {
          label: 'Status',
          ...picklist(APPOINTMENT_STATUSES)
        }),
        createFieldDef('SchedStartTime', 'datetime', {
          label: 'Scheduled Start'
        }),
        createFieldDef('SchedEndTime', 'datetime', { label: 'Scheduled End' }),
        lookup('AccountId', ['Account'], { label: 'Account ID', system: true }),
        lookup('ContactId', ['Contact'], { label: 'Contact ID' }),
        owner()
      ],
      'Service Appointment'
    ),
    standardObject('Case', '500', 'Cases', [
      autoNumber('CaseNumber', '{00000000}', 'Case Number'),
      createFieldDef('Subject', 'string', { label: 'Subject' }),
      createFieldDef('Description', 'textarea', { label: 'Description' }),
      createFieldDef('Status', 'picklist', {
        label: 'Status',
        ...picklist(CASE_STATUSES)
      }),
      createFieldDef('Priority', 'picklist', {
        label: 'Priority',
        ...picklist(['Low', 'Medium', 'High'])
      }),
      createFieldDef('Origin', 'picklist', {
        label: 'Case Origin',
        ...picklist(['Phone', 'Email', 'Web'])
      }),
      createFieldDef('IsClosed', 'boolean', { label: 'Closed', system: true }),
      createFieldDef('ClosedDate', 'datetime', {
        label: 'Closed Date',
        system: true
      }),
      lookup('AccountId', ['Account'], { label: 'Account ID' }),
      lookup('AssetId', ['Asset'], { label: 'Asset ID' }),
      lookup('ContactId', ['Contact'], { label: 'Contact ID' }),
      owner()
    ]),
    standardObject('Asset', '02i', 'Assets', [
      createFieldDef('Name', 'string', { label: 'Asset Name', required: true }),
      createFieldDef('SerialNumber', 'string', {
        label: 'Serial Number',
        length: 80
      }),
      createFieldDef('Status', 'picklist', {
        label: 'Status',
        ...picklist([
          'Purchased',
          'Shipped',
          'Installed',
          'Registered',
          'Obsolete'
        ])
      }),
      createFieldDef('Description', 'textarea', { label: 'Description' }),
      lookup('AccountId', ['Account'], { label: 'Account ID' }),
      lookup('ContactId', ['Contact'], { label: 'Contact ID' }),
      lookup('Product2Id', ['Product2'], { label: 'Product ID' }),
      owner()
    ]),
    standardObject('Account', '001', 'Accounts', [
      createFieldDef('Name', 'string', {
        label: 'Account Name',
        required: true
      }),
      owner()
    ]),
    standardObject(
      'Product2',
      '01t',
      'Products',
      [
        createFieldDef('Name', 'string', {
          label: 'Product Name',
          required: true
        }),
        owner()
      ],
      'Product'
    ),
    standardObject('User', '005', 'Users', [
      ...personName(),
      createFieldDef('Username', 'string', {
        label: 'Username',
        length: 80,
        required: true,
        unique: true
      }),
      createFieldDef('Email', 'email', {
        label: 'Email',
        length: 128,
        required: true
      }),
      createFieldDef('Alias', 'string', { label: 'Alias', length: 8 }),
      createFieldDef('IsActive', 'boolean', { label: 'Active' }),
      createFieldDef('UserType', 'picklist', {
        label: 'User Type',
        system: true,
        ...picklist(['Standard', 'AutomatedProcess'], true)
      }),
      createFieldDef('TimeZoneSidKey', 'string', {
        label: 'Time Zone',
        length: 40
      }),
      createFieldDef('LocaleSidKey', 'string', { label: 'Locale', length: 40 }),
      createFieldDef('LanguageLocaleKey', 'string', {
        label: 'Language',
        length: 40
      })
    ]),
    // The org itself: the sf CLI and Salesforce tools read it; nobody writes it.
    standardObject(
      'Organization',
      '00D',
      'Organizations',
      [
        createFieldDef('Name', 'string', { label: 'Name', length: 80 }),
        createFieldDef('InstanceName', 'string', {
          label: 'Instance Name',
          length: 5,
          system: true
        }),
        createFieldDef('IsSandbox', 'boolean', {
          label: 'Is Sandbox',
          system: true
        }),
        createFieldDef('OrganizationType', 'picklist', {
          label: 'Edition',
          system: true,
          ...picklist(['Developer Edition', 'Enterprise Edition'], true)
        }),
        createFieldDef('NamespacePrefix', 'string', {
          label: 'Namespace Prefix',
          length: 15,
          system: true
        }),
        createFieldDef('TrialExpirationDate', 'datetime', {
          label: 'Trial Expiration Date',
          system: true
        }),
        createFieldDef('DefaultLocaleSidKey', 'string', {
          label: 'Default Locale',
          length: 40
        }),
        createFieldDef('LanguageLocaleKey', 'string', {
          label: 'Default Language',
          length: 40
        }),
        createFieldDef('TimeZoneSidKey', 'string', {
          label: 'Default Time Zone',
          length: 40
        })
      ],
      'Organization'
    ),
    standardObject('Contact', '003', 'Contacts', [
      ...personName(),
      createFieldDef('Email', 'email', { label: 'Email', length: 80 }),
      createFieldDef('Phone', 'phone', { label: 'Business Phone', length: 40 }),
      owner()
    ]),
    standardObject(
      'ContentDocument',
      '069',
      'Files',
      [
        createFieldDef('Title', 'string', { label: 'Title', system: true }),
        createFieldDef('Description', 'textarea', {
          label: 'Description',
          length: 1000,
          system: true
        }),
        ...fileFacts(),
        lookup('LatestPublishedVersionId', ['ContentVersion'], {
          label: 'Latest Published Version ID',
          system: true
        }),
        owner()
      ],
      'File'
    ),
    standardObject(
      'ContentVersion',
      '068',
      'Content Versions',
      [
        // Defaulted from PathOnClient (file name without extension) when absent, as Salesforce does.
        createFieldDef('Title', 'string', { label: 'Title' }),
        createFieldDef('Description', 'textarea', {
          label: 'Description',
          length: 1000
        }),
        createFieldDef('PathOnClient', 'string', {
          label: 'Path On Client',
          length: 500,
          required: true
        }),
        createFieldDef('VersionData', 'base64', {
          label: 'Version Data',
          required: true
        }),
        ...fileFacts(),
        createFieldDef('Checksum', 'string', {
          label: 'Checksum',
          length: 50,
          system: true
        }),
        createFieldDef('IsLatest', 'boolean', {
          label: 'Is Latest',
          system: true
        }),
        createFieldDef('VersionNumber', 'string', {
          label: 'Version Number',
          length: 20,
          system: true
        }),
        lookup('ContentDocumentId', ['ContentDocument'], {
          label: 'Content Document ID'
        }),
        lookup('FirstPublishLocationId', FILE_PARENTS, {
          label: 'First Publish Location ID',
          relationshipName: 'FirstPublishLocation'
        }),
        owner()
      ],
      'Content Version'
    ),
    standardObject(
      'ContentDocumentLink',
      '06A',
      'Content Document Links',
      [
        lookup('ContentDocumentId', ['ContentDocument'], {
          label: 'Content Document ID',
          required: true
        }),
        lookup('LinkedEntityId', FILE_PARENTS, {
          label: 'Linked Entity ID',
          required: true,
          relationshipName: 'LinkedEntity'
        }),
        createFieldDef('ShareType', 'picklist', {
          label: 'Share Type',
          ...picklist(['V', 'C', 'I'], true)
        }),
        createFieldDef('Visibility', 'picklist', {
          label: 'Visibility',
          ...picklist(['AllUsers', 'InternalUsers', 'SharedUsers'], true)
        })
      ],
      'Content Document Link'
    )
  ];
}
