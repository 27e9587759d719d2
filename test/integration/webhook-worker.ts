// A gatehouse process that only delivers webhooks (the crash test kills it with SIGKILL mid-delivery).
import { openGatehouse } from '../../src/main.js';

const env = process.env;
const gatehouse = await openGatehouse({
  dataDir: String(env.GATEHOUSE_DATA_DIR),
  masterKey: env.GATEHOUSE_MASTER_KEY,
  ...(env.GATEHOUSE_DATABASE_URL ? { databaseUrl: env.GATEHOUSE_DATABASE_URL } : {}),
  ...(env.GATEHOUSE_DATABASE_SCHEMA ? { databaseSchema: env.GATEHOUSE_DATABASE_SCHEMA } : {}),
  migrations: 'check',
});
gatehouse.webhookDispatcher({ owner: env.WORKER_OWNER ?? 'child-worker', pollMs: 50, leaseMs: 1500 }).start();
process.stdout.write('ready\n');
// The dispatcher's poll timer is unref'd (a server's HTTP listener keeps its process alive); this process has
// nothing else, so without a handle of its own it would exit between polls and miss the events of the test.
setInterval(() => undefined, 60_000);
