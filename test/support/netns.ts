import { execFileSync, spawnSync } from 'node:child_process';

/** Why network namespaces can't be made here, or null when they can (root and iproute2). */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = spawnSync('ip', ['netns', 'list']);
  if (probe.error || probe.status !== 0)
    return `'ip netns' is unavailable (${probe.error?.message ?? probe.stderr.toString().trim()})`;
  return null;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Star {
  /** Namespace of the hub host. */
  readonly hub: string;
  /** One per leaf host: its namespace and the hub's address as that leaf sees it. */
  readonly leaves: readonly { ns: string; hubAddress: string; address: string }[];
  remove(): void;
}

/**
 * A hub host linked to `n` leaf hosts, each by its own veth pair on its own /30 (10.213.<i>.0/30): separate
 * network stacks on one machine, so traffic between them crosses a real (virtual) link rather than loopback.
 */
export function makeStar(n: number): Star {
  const tag = `${process.pid % 10000}`;
  const hub = `dsc-hub-${tag}`;
  const leaves: { ns: string; hubAddress: string; address: string }[] = [];
  const made: string[] = [];
  const remove = () => {
    for (const ns of made.reverse()) spawnSync('ip', ['netns', 'del', ns]);
  };
  try {
    ip('netns', 'add', hub);
    made.push(hub);
    ip('-n', hub, 'link', 'set', 'lo', 'up');
    for (let i = 1; i <= n; i++) {
      const ns = `dsc-leaf${i}-${tag}`;
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      const hubEnd = `dh${i}-${tag}`;
      const leafEnd = `dl${i}-${tag}`;
      ip('link', 'add', hubEnd, 'type', 'veth', 'peer', 'name', leafEnd);
      ip('link', 'set', hubEnd, 'netns', hub);
      ip('link', 'set', leafEnd, 'netns', ns);
      const hubAddress = `10.213.${i}.1`;
      const address = `10.213.${i}.2`;
      ip('-n', hub, 'addr', 'add', `${hubAddress}/30`, 'dev', hubEnd);
      ip('-n', ns, 'addr', 'add', `${address}/30`, 'dev', leafEnd);
      ip('-n', hub, 'link', 'set', hubEnd, 'up');
      ip('-n', ns, 'link', 'set', leafEnd, 'up');
      leaves.push({ ns, hubAddress, address });
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { hub, leaves, remove };
}
