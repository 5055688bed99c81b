import { assetKeyOf, resembles, suggestionsFor } from '../inboxView';

const LABELS = {
  linkTo: 'Link to',
  numberReason: 'number',
  assetReason: 'asset'
};

describe('inboxView', () => {
  it('finds a work order number in a raw key typed with another format or one character off', () => {
    expect(resembles('101', '00000101')).toBe(true);
    expect(resembles('wo-00000101', '00000101')).toBe(true);
    expect(resembles('00000110', '00000101')).toBe(false);
    expect(resembles('0000101', '00000101')).toBe(true);
    expect(resembles('0001234', '00012345')).toBe(true);
    expect(resembles('00012354', '00012345')).toBe(false);
    expect(resembles('99999999', '00000101')).toBe(false);
    // Short keys must match exactly.
    expect(resembles('12', '13')).toBe(false);
    expect(resembles(null, '00000101')).toBe(false);
  });

  it("reads the launch link's asset from externalData, and nothing from bad JSON", () => {
    expect(assetKeyOf('{"asset":"PUMP-100"}')).toBe('PUMP-100');
    expect(assetKeyOf('{"asset":7}')).toBeNull();
    expect(assetKeyOf('{not json')).toBeNull();
    expect(assetKeyOf(null)).toBeNull();
  });

  it('offers at most three suggestions, number matches first', () => {
    const session = {
      id: 's',
      rawKey: '101',
      assetKey: 'A',
      startedAt: '2026-12-02T10:00:00Z'
    };
    const workOrders = [
      {
        id: 'w1',
        number: '00000200',
        assetKey: 'A',
        start: '2026-12-02T08:00:00Z'
      },
      { id: 'w2', number: '00000101', assetKey: 'B', start: null },
      {
        id: 'w3',
        number: '00000300',
        assetKey: 'A',
        start: '2026-12-01T08:00:00Z',
        end: '2026-12-01T09:00:00Z'
      },
      {
        id: 'w4',
        number: '00000400',
        assetKey: 'A',
        start: '2026-11-01T08:00:00Z',
        end: '2026-11-02T09:00:00Z'
      },
      {
        id: 'w5',
        number: '00000500',
        assetKey: 'A',
        start: '2026-12-02T09:00:00Z'
      }
    ];
    // w3 ended 25 hours before the session, w4 a month before: not open around it.
    expect(
      suggestionsFor(session, workOrders, LABELS).map((s) => s.workOrderId)
    ).toEqual(['w2', 'w1', 'w5']);
  });
});
