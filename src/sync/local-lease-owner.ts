import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A lease owner id (`host/pid/random`) and a check whether an owner is a dead process on this host, so a sync killed
 * mid-run (kill -9, a crash) does not block the next run until its lease expires. Owners on other hosts are assumed
 * alive until their lease expires.
 */
export function createLocalLeaseOwner(): { owner: string; isAlive(owner: string): boolean } {
  const host = hostname();
  return {
    owner: `${host}/${process.pid}/${randomUUID()}`,
    isAlive(owner) {
      const [ownerHost, pidText] = owner.split('/');
      const pid = Number(pidText);
      if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0) return true;
      if (pid === process.pid) return true;
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'ESRCH';
      }
    },
  };
}
