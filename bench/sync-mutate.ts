// The 1% change of measurement 4, made through Graph itself ($batch of PATCH / members $ref), as an admin would.

import type { GraphBatchRequest } from '../src/entra/graph-api.js';
import { createGraphClient } from '../src/entra/graph-client.js';
import type { Gatehouse } from '../src/main.js';
import { type EmulatorSummary, fetchToken, seededRandom } from './sync-support.js';

export async function mutateOnePercent(gatehouse: Gatehouse, summary: EmulatorSummary): Promise<void> {
  const cid = (await gatehouse.connections.get('bench')).id;
  const reader = gatehouse.directory.reader;
  const users = await reader.listIds(cid, 'user');
  const { links } = await reader.loadMembershipGraph(cid);
  const token = await fetchToken(summary);
  const graph = createGraphClient({
    settings: { graphEndpoint: summary.url },
    tokenSource: { getAccessToken: async () => token, invalidate: () => {} },
  });
  const random = seededRandom(11);
  const requests: GraphBatchRequest[] = [];
  for (let i = 0; i < Math.ceil(users.length / 100); i++) {
    const id = users[Math.floor(random() * users.length)];
    requests.push({
      id: String(requests.length),
      method: 'PATCH',
      url: `/users/${id}`,
      body: { jobTitle: `Role ${i}` },
    });
  }
  const userLinks = links.filter((l) => l.memberType === 'user');
  const changes = Math.ceil(links.length / 100);
  for (let i = 0; i < changes; i++) {
    const link = userLinks[Math.floor(random() * userLinks.length)];
    if (!link) break;
    if (i % 2 === 0) {
      requests.push({
        id: String(requests.length),
        method: 'DELETE',
        url: `/groups/${link.groupId}/members/${link.memberId}/$ref`,
      });
    } else {
      const other = users[Math.floor(random() * users.length)];
      requests.push({
        id: String(requests.length),
        method: 'POST',
        url: `/groups/${link.groupId}/members/$ref`,
        body: { '@odata.id': `${summary.url}/v1.0/directoryObjects/${other}` },
      });
    }
  }
  for (let i = 0; i < requests.length; i += 20) {
    const chunk = requests.slice(i, i + 20).map((r, j) => ({ ...r, id: String(j + 1) }));
    await graph.batch(chunk);
  }
}
