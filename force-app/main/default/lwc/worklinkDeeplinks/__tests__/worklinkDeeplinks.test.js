import {
  appendParams,
  buildCallLink,
  buildLaunchLink,
  isAllowedLink,
  parseStaticParams,
  queryKeys,
  wrapDeferred
} from 'c/worklinkDeeplinks';

const WORK_ORDER = {
  workOrderId: '0WO5g0000000101GAA',
  workOrderNumber: '00000101',
  caseId: '5005g0000001001AAA'
};
// Built at run time so that linters do not mistake the test data for code.
const SCRIPT_LINK = ['javascript', 'alert(1)'].join(':');
const DANA_LINK = 'worklink://resource?action=fetch_user&user=501';

describe('buildLaunchLink', () => {
  it('builds the documented fetch_catalog link with work order external data', () => {
    expect(buildLaunchLink({ ...WORK_ORDER, assetId: 'PUMP-100' })).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&case_id=5005g0000001001AAA'
    );
  });

  it('leaves case_id out when the work order has no case', () => {
    expect(
      buildLaunchLink({ ...WORK_ORDER, caseId: null, assetId: 'HVAC-7' })
    ).toBe(
      'worklink://resource?action=fetch_catalog&asset=HVAC-7' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101'
    );
  });

  it('returns null without an asset id (blank counts as none)', () => {
    expect(buildLaunchLink({ ...WORK_ORDER, assetId: null })).toBeNull();
    expect(buildLaunchLink({ ...WORK_ORDER, assetId: '   ' })).toBeNull();
  });

  it('percent-encodes hostile asset ids: & = # space unicode slash', () => {
    expect(
      buildLaunchLink({
        ...WORK_ORDER,
        caseId: null,
        assetId: 'PUMP 100&x=1#frag/ü'
      })
    ).toBe(
      'worklink://resource?action=fetch_catalog' +
        '&asset=PUMP%20100%26x%3D1%23frag%2F%C3%BC' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101'
    );
  });

  it('keeps a very long value whole and round-trips it exactly', () => {
    const longValue = `${'Ä&='.repeat(700)}end`;
    const link = buildLaunchLink({ ...WORK_ORDER, assetId: longValue });
    const query = new URL(link.replace('worklink://', 'https://')).searchParams;
    expect(query.get('asset')).toBe(longValue);
    expect(query.get('work_order_id')).toBe('0WO5g0000000101GAA');
    expect(query.getAll('action')).toEqual(['fetch_catalog']);
  });

  it('appends static parameters after the work order data, never over reserved or work order keys', () => {
    const staticParams = parseStaticParams(
      'region=EU North&action=hijack&asset=OTHER&catalog=9&work_order_id=FAKE&team=A%26B'
    );
    expect(
      buildLaunchLink({ ...WORK_ORDER, assetId: 'PUMP-100', staticParams })
    ).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&case_id=5005g0000001001AAA&region=EU%20North&team=A%26B'
    );
  });

  it('wraps the link in the deferred page when the admin configured one', () => {
    const inner =
      'worklink://resource?action=fetch_catalog&asset=PUMP%20100' +
      '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101';
    expect(
      buildLaunchLink({
        ...WORK_ORDER,
        caseId: undefined,
        assetId: 'PUMP 100',
        deferredBase: 'https://getworklink.com/deferred'
      })
    ).toBe(
      `https://getworklink.com/deferred?deep_link=${encodeURIComponent(inner)}`
    );
  });
});

describe('buildCallLink', () => {
  it('appends the external data to a call link that has a query string', () => {
    expect(buildCallLink({ ...WORK_ORDER, callLink: DANA_LINK })).toBe(
      `${DANA_LINK}&work_order_id=0WO5g0000000101GAA` +
        '&work_order_number=00000101&case_id=5005g0000001001AAA'
    );
  });

  it('starts a query string when the link has none', () => {
    expect(
      buildCallLink({
        ...WORK_ORDER,
        caseId: null,
        callLink: 'worklink://call/abc'
      })
    ).toBe(
      'worklink://call/abc?work_order_id=0WO5g0000000101GAA&work_order_number=00000101'
    );
  });

  it('does not double the separator after a trailing ? or &', () => {
    expect(
      buildCallLink({
        ...WORK_ORDER,
        caseId: null,
        callLink: `${DANA_LINK}&`
      })
    ).toBe(
      `${DANA_LINK}&work_order_id=0WO5g0000000101GAA&work_order_number=00000101`
    );
  });

  it('keeps keys the CMS link already has and puts parameters before a fragment', () => {
    expect(
      buildCallLink({
        ...WORK_ORDER,
        callLink: `${DANA_LINK}&work_order_id=KEEP#call`,
        staticParams: [['user', '999']]
      })
    ).toBe(
      `${DANA_LINK}&work_order_id=KEEP&work_order_number=00000101` +
        '&case_id=5005g0000001001AAA#call'
    );
  });

  it('refuses links that are not worklink:// or https://', () => {
    expect(buildCallLink({ ...WORK_ORDER, callLink: SCRIPT_LINK })).toBeNull();
    expect(
      buildCallLink({ ...WORK_ORDER, callLink: 'http://example.com' })
    ).toBeNull();
    expect(buildCallLink({ ...WORK_ORDER, callLink: '' })).toBeNull();
    expect(buildCallLink({ ...WORK_ORDER, callLink: null })).toBeNull();
  });

  it('does not wrap an https call link again', () => {
    const https = 'https://getworklink.com/deferred?deep_link=abc';
    expect(
      buildCallLink({
        ...WORK_ORDER,
        caseId: null,
        callLink: https,
        deferredBase: 'https://getworklink.com/deferred'
      })
    ).toBe(
      `${https}&work_order_id=0WO5g0000000101GAA&work_order_number=00000101`
    );
  });
});

describe('parseStaticParams', () => {
  it('parses plain and percent-encoded pairs, trims, last key wins', () => {
    expect(
      parseStaticParams(' site = North Yard & mode=a%3Db & site=South&flag ')
    ).toEqual([
      ['site', 'South'],
      ['mode', 'a=b'],
      ['flag', '']
    ]);
  });

  it('drops keys that are not flat identifiers and survives bad escapes', () => {
    expect(parseStaticParams('bad key=1&a[b]=2&=3&ok=100%&ü=4')).toEqual([
      ['ok', '100%']
    ]);
  });

  it('returns nothing for blank input', () => {
    expect(parseStaticParams(undefined)).toEqual([]);
    expect(parseStaticParams('  ')).toEqual([]);
  });
});

describe('helpers', () => {
  it('queryKeys lists decoded keys and ignores the fragment', () => {
    expect(queryKeys('worklink://r?a=1&b%5F=2#c=3')).toEqual(['a', 'b_']);
    expect(queryKeys('worklink://r')).toEqual([]);
  });

  it('appendParams returns the link unchanged when nothing is left to add', () => {
    expect(appendParams('worklink://r?action=x', [['action', 'y']])).toBe(
      'worklink://r?action=x'
    );
  });

  it('isAllowedLink accepts only worklink:// and https://', () => {
    expect(isAllowedLink('WORKLINK://resource?action=x')).toBe(true);
    expect(isAllowedLink('https://getworklink.com/deferred')).toBe(true);
    expect(isAllowedLink('data:text/html,hi')).toBe(false);
  });

  it('wrapDeferred ignores non-https wrappers and wrappers that already carry deep_link', () => {
    expect(wrapDeferred('worklink://r?a=1', 'http://x.test/d')).toBe(
      'worklink://r?a=1'
    );
    expect(
      wrapDeferred('worklink://r?a=1', 'https://x.test/d?deep_link=z')
    ).toBe('worklink://r?a=1');
    expect(wrapDeferred('worklink://r?a=1', 'https://x.test/d?src=sf')).toBe(
      'https://x.test/d?src=sf&deep_link=worklink%3A%2F%2Fr%3Fa%3D1'
    );
  });
});
