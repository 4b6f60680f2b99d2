// Reading CLUSTER NODES: who is master of which slots, who replicates whom, who is failed (pure, unit-tested).

export interface ClusterNodeLine {
  id: string;
  host: string;
  port: number;
  role: 'master' | 'replica';
  /** The master's node id, for a replica. */
  masterId: string | undefined;
  /** Flagged `fail` (agreed down) or `fail?` (suspected) by the node that answered. */
  failing: boolean;
  /** The lowest slot it serves (masters with slots); undefined otherwise. */
  firstSlot: number | undefined;
}

/** Parse CLUSTER NODES text (one node a line: id addr flags master ping pong epoch link slots...). */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  const nodes: ClusterNodeLine[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const [id, address, flagText, master, , , , , ...slots] = fields;
    if (id === undefined || address === undefined || flagText === undefined || master === undefined) continue;
    const hostPort = address.split('@')[0] ?? '';
    const colon = hostPort.lastIndexOf(':');
    const flags = flagText.split(',');
    const firstRange = slots.find((slot) => /^\d/.test(slot));
    nodes.push({
      id,
      host: hostPort.slice(0, colon),
      port: Number(hostPort.slice(colon + 1)),
      role: flags.includes('master') ? 'master' : 'replica',
      masterId: master === '-' ? undefined : master,
      failing: flags.includes('fail') || flags.includes('fail?'),
      firstSlot: firstRange === undefined ? undefined : Number(firstRange.split('-')[0]),
    });
  }
  return nodes;
}

/**
 * The shard of each node by port: masters with slots numbered 0, 1, 2... in slot order, a replica in its master's
 * shard. Masters without slots (a failed master whose replica took over) and their replicas get none.
 */
export function shardsByPort(nodes: readonly ClusterNodeLine[]): Map<number, number> {
  const masters = nodes
    .filter((node) => node.role === 'master' && node.firstSlot !== undefined && !node.failing)
    .sort((a, b) => (a.firstSlot ?? 0) - (b.firstSlot ?? 0));
  const shardOfId = new Map(masters.map((node, index) => [node.id, index]));
  const shards = new Map<number, number>();
  for (const node of nodes) {
    const shard = shardOfId.get(node.role === 'master' ? node.id : (node.masterId ?? ''));
    if (shard !== undefined) shards.set(node.port, shard);
  }
  return shards;
}
