// Child process for the kill -9 test: starts an embedded PostgreSQL, writes a row, reports, then waits.
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../../connector/src/db/embedded-postgres.ts';

const [dataDir, port] = process.argv.slice(2);
const server = await startEmbeddedPostgres({
  dataDir: dataDir as string,
  port: Number(port)
});
const client = new pg.Client({
  connectionString: server.connectionString('postgres')
});
await client.connect();
await client.query('CREATE TABLE IF NOT EXISTS survivors (n int)');
await client.query('INSERT INTO survivors VALUES (1)');
await client.end();
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => undefined, 60_000);
