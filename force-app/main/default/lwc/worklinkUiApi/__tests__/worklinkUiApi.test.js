import { edgesOf, fieldValue, format } from 'c/worklinkUiApi';

describe('c/worklinkUiApi', () => {
  it('formats numbered placeholders and keeps the ones without a value', () => {
    expect(format('{0} of {1}, {2}', 3, 0)).toBe('3 of 0, {2}');
    expect(format('{0}', null)).toBe('null');
  });

  it('reads a field value, null when absent', () => {
    expect(fieldValue({ value: 0 })).toBe(0);
    expect(fieldValue({})).toBeNull();
    expect(fieldValue(undefined)).toBeNull();
  });

  it('reads the edges of one object, [] for anything else', () => {
    const node = { Id: 'a01' };
    const data = { uiapi: { query: { WorkOrder: { edges: [{ node }] } } } };
    expect(edgesOf(data, 'WorkOrder')).toEqual([{ node }]);
    expect(edgesOf(data, 'Case')).toEqual([]);
    expect(edgesOf(undefined, 'WorkOrder')).toEqual([]);
    expect(
      edgesOf({ uiapi: { query: { WorkOrder: {} } } }, 'WorkOrder')
    ).toEqual([]);
  });
});
