/**
 * The slice of the standard Salesforce schema this package references. Custom fields come
 * from force-app; these are the standard ones layouts, list views, permission sets and the
 * LWC may name. `fls: false` marks fields a permission set cannot carry (always readable
 * or system managed).
 */
export interface StandardField {
  readonly fls: boolean;
  /** For lookups: the relationship name and the object it points to. */
  readonly relationship?: { readonly name: string; readonly to: string };
}

const plain: StandardField = { fls: true };
const system: StandardField = { fls: false };
const lookup = (name: string, to: string, fls = true): StandardField => ({
  fls,
  relationship: { name, to }
});

const audit = {
  Id: system,
  CreatedById: lookup('CreatedBy', 'User', false),
  CreatedDate: system,
  LastModifiedById: lookup('LastModifiedBy', 'User', false),
  LastModifiedDate: system
};

export const STANDARD_FIELDS: Readonly<
  Record<string, Readonly<Record<string, StandardField>>>
> = {
  WorkOrder: {
    ...audit,
    WorkOrderNumber: system,
    OwnerId: lookup('Owner', 'User', false),
    Subject: plain,
    Status: plain,
    StatusCategory: plain,
    IsClosed: plain,
    EndDate: plain,
    Priority: plain,
    Description: plain,
    AccountId: lookup('Account', 'Account'),
    ContactId: lookup('Contact', 'Contact'),
    CaseId: lookup('Case', 'Case'),
    AssetId: lookup('Asset', 'Asset')
  },
  Case: {
    ...audit,
    CaseNumber: system,
    OwnerId: lookup('Owner', 'User', false),
    Subject: plain,
    Status: plain,
    Priority: plain,
    Origin: plain,
    Description: plain,
    AccountId: lookup('Account', 'Account'),
    ContactId: lookup('Contact', 'Contact'),
    AssetId: lookup('Asset', 'Asset')
  },
  Asset: {
    ...audit,
    Name: system,
    OwnerId: lookup('Owner', 'User', false),
    SerialNumber: plain,
    Status: plain,
    AccountId: lookup('Account', 'Account'),
    ContactId: lookup('Contact', 'Contact'),
    Product2Id: lookup('Product2', 'Product2')
  },
  User: { ...audit, Name: system },
  Account: { ...audit, Name: system },
  Contact: { ...audit, Name: system },
  Product2: { ...audit, Name: system }
};

/** Standard fields every custom object has. */
export const CUSTOM_OBJECT_STANDARD_FIELDS: Readonly<
  Record<string, StandardField>
> = {
  ...audit,
  Name: system,
  OwnerId: lookup('Owner', 'User', false)
};

/** List view column tokens that are not field API names. */
export const LIST_VIEW_TOKENS = new Set([
  'NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'OWNER.ALIAS',
  'OWNER.FIRST_NAME',
  'OWNER.LAST_NAME',
  'CREATEDBY_USER',
  'UPDATEDBY_USER'
]);

/** Related list column tokens that are not field API names. */
export const RELATED_LIST_TOKENS = new Set([
  'NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'OWNER.ALIAS'
]);
