// The 16,384-byte limit on URI plus headers, through jsforce: 414 for a long request line, 431 when
// the headers push the request over, and a request just under the limit served as usual.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { REQUEST_SIZE_LIMIT_BYTES } from '../../../sandboxes/salesforce/http/request-size-limit.ts';
import { API_VERSION, connect, startSandbox } from './helpers.ts';

let sandbox: SalesforceSandbox;
let conn: Connection;
before(async () => {
  sandbox = await startSandbox();
  conn = await connect(sandbox);
});
after(async () => sandbox?.close());

const statusOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: { errorCode?: string }) =>
      Number(/ERROR_HTTP_(\d{3})/.exec(error.errorCode ?? '')?.[1] ?? 0)
  );

describe('request size limit', () => {
  it('answers 414 to a request line over 16,384 bytes', async () => {
    const soql = `SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '${'7'.repeat(REQUEST_SIZE_LIMIT_BYTES)}'`;
    assert.equal(
      await statusOf(
        conn.request(
          `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`
        )
      ),
      414
    );
  });

  it('answers 431 when a short URI plus large headers exceed the limit', async () => {
    assert.equal(
      await statusOf(
        conn.request({
          method: 'GET',
          url: `/services/data/v${API_VERSION}/`,
          headers: { 'X-Padding': 'p'.repeat(REQUEST_SIZE_LIMIT_BYTES - 200) }
        })
      ),
      431
    );
  });

  it('serves a query whose URL is long but within the limit', async () => {
    const soql = `SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '${'7'.repeat(12_000)}'`;
    const result = await conn.request<{ totalSize: number }>(
      `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`
    );
    assert.equal(result.totalSize, 0);
  });
});
