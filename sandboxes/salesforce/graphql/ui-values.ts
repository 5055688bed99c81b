// A field as UI API GraphQL answers it: `{value, displayValue}`. Values are typed (DateTime as ISO 8601
// in UTC with `Z`), and displayValue is what a record page shows (the picklist label, a formatted date
// or number) or null where it would repeat the value, as for text.
import type { FieldDef } from '../schema/types.ts';

// The sandbox's users are en_US in GMT (see state.ts); a real org formats in the viewer's locale.
const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'UTC'
});
const DATE = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'short',
  timeZone: 'UTC'
});
const NUMBER = new Intl.NumberFormat('en-US');
const CURRENCY = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD'
});

export function uiValue(field: FieldDef, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  if (field.type === 'datetime' && typeof raw === 'string') {
    const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? raw : new Date(ms).toISOString();
  }
  return raw;
}

export function uiDisplayValue(field: FieldDef, raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  switch (field.type) {
    case 'picklist':
      return (
        field.picklistValues.find((p) => p.value === raw)?.label ?? String(raw)
      );
    case 'datetime': {
      const ms = Date.parse(String(uiValue(field, raw)));
      return Number.isNaN(ms) ? null : DATE_TIME.format(ms);
    }
    case 'date': {
      const ms = Date.parse(`${String(raw)}T00:00:00Z`);
      return Number.isNaN(ms) ? null : DATE.format(ms);
    }
    case 'currency':
      return typeof raw === 'number' ? CURRENCY.format(raw) : null;
    case 'double':
    case 'int':
    case 'percent':
      return typeof raw === 'number' ? NUMBER.format(raw) : null;
    default:
      return null;
  }
}
