import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  PortInUseError,
  assertPortFree,
  findFreePort
} from '../../demo/ports.ts';

test('a busy port is reported with the flag that changes it', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  try {
    await assert.rejects(
      assertPortFree(port, '--preview-port'),
      (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.port, port);
        assert.match(
          error.message,
          new RegExp(`Port ${port} .* already in use.*--preview-port`)
        );
        return true;
      }
    );
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
  await assertPortFree(port, '--preview-port');
});

test('port 0 always passes and findFreePort returns a bindable port', async () => {
  await assertPortFree(0, '--scope-port');
  const port = await findFreePort();
  assert.ok(port > 0 && port < 65536);
  await assertPortFree(port, '--scope-port');
});
