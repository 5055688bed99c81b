import type { FieldDef, FieldType, SObjectDef } from '../schema/types.ts';
import type { FieldPath } from './field-path.ts';

/** One entry of `columnMetadata`, as `GET /query?q=…&columns=true` describes a selected column. */
export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Partial<Record<FieldType, string>> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  double: 'Decimal',
  percent: 'Decimal',
  currency: 'Decimal',
  int: 'Integer',
  date: 'Date',
  datetime: 'Datetime',
  base64: 'Blob'
};

function fieldColumn(field: FieldDef, editable: boolean): ColumnMetadata {
  const apexType = APEX_TYPES[field.type] ?? 'String';
  return {
    aggregate: false,
    apexType,
    booleanType: apexType === 'Boolean',
    columnName: field.name,
    custom: field.custom,
    displayName: field.name,
    foreignKeyName: null,
    insertable: editable && !field.system,
    joinColumns: [],
    numberType: apexType === 'Decimal' || apexType === 'Integer',
    textType: apexType === 'String',
    updatable: editable && !field.system
  };
}

function relationshipColumn(name: string, lookup: FieldDef): ColumnMetadata {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: lookup.custom,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false
  };
}

/**
 * The column metadata the Developer Console and `sf data query` read before printing a result.
 * Parent paths that share a relationship (`Asset.Name`, `Asset.Status`) share one join column.
 */
export function columnMetadata(
  def: SObjectDef,
  countOnly: boolean,
  select: FieldPath[],
  canEdit: (sobject: string, field: string) => boolean
) {
  const columns: ColumnMetadata[] = [];
  if (countOnly) {
    columns.push({
      ...relationshipColumn('expr0', { custom: false } as FieldDef),
      aggregate: true,
      apexType: 'Integer',
      displayName: 'COUNT()',
      numberType: true
    });
  }
  for (const path of select) {
    let level = columns;
    path.lookups.forEach((lookup, i) => {
      const name = path.relationshipNames[i] ?? lookup.name;
      let join = level.find(
        (c) => c.columnName === name && c.apexType === null
      );
      if (!join) {
        join = relationshipColumn(name, lookup);
        level.push(join);
      }
      level = join.joinColumns;
    });
    level.push(
      fieldColumn(path.field, canEdit(path.owner.name, path.field.name))
    );
  }
  return {
    columnMetadata: columns,
    entityName: def.name,
    groupBy: false,
    idSelected: select.some(
      (p) => p.lookups.length === 0 && p.field.name === 'Id'
    ),
    keyPrefix: def.keyPrefix
  };
}
