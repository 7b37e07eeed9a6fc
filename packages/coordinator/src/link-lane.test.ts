import { describe, expect, it } from 'vitest';
import { LinkLane } from './link-lane.js';
import { formatLinkModel, parseLinkModel } from './link-model.js';

function deliver(lane: LinkLane, bytes: number): Promise<number> {
  return new Promise((resolve) => lane.push(bytes, () => resolve(performance.now())));
}

describe('link model', () => {
  it('reads LATENCY,BANDWIDTH and refuses anything else with a usable example', () => {
    expect(parseLinkModel('0.5ms,10Gbit')).toEqual({ latencyMs: 0.5, bitsPerSecond: 1e10 });
    expect(parseLinkModel('20ms,100Mbit')).toEqual({ latencyMs: 20, bitsPerSecond: 1e8 });
    expect(parseLinkModel('250us, 1gbit/s')).toEqual({ latencyMs: 0.25, bitsPerSecond: 1e9 });
    expect(formatLinkModel(parseLinkModel('20ms,100Mbit'))).toBe('20ms,100Mbit');
    expect(() => parseLinkModel('fast')).toThrow(/0\.5ms,10Gbit/);
    expect(() => parseLinkModel('1ms,0Mbit')).toThrow(/LATENCY,BANDWIDTH/);
  });

  it('delivers a measured transfer after the latency plus its bytes at the bandwidth, within tolerance', async () => {
    // 1 MB at 100 Mbit/s is 83.9 ms on the wire, plus 20 ms of latency.
    const lane = new LinkLane(parseLinkModel('20ms,100Mbit'));
    const t0 = performance.now();
    const arrived = await deliver(lane, 1_048_576);
    const expected = 20 + (1_048_576 * 8) / 1e5;
    expect(arrived - t0).toBeGreaterThan(expected * 0.95);
    expect(arrived - t0).toBeLessThan(expected * 1.5 + 10);
  });

  it('serialises frames one after the other and keeps their order', async () => {
    const lane = new LinkLane(parseLinkModel('5ms,10Mbit'));
    const order: number[] = [];
    const t0 = performance.now();
    // 3 × 12,500 bytes at 10 Mbit/s: 10 ms each on the wire, so the last arrives after 30 + 5 ms.
    const arrivals = await Promise.all(
      [0, 1, 2].map(
        (i) =>
          new Promise<number>((resolve) =>
            lane.push(12_500, () => {
              order.push(i);
              resolve(performance.now() - t0);
            }),
          ),
      ),
    );
    expect(order).toEqual([0, 1, 2]);
    // Frame k leaves the wire after k + 1 frames' time: timers never fire early, so these lower bounds hold
    // however loaded the machine is (an upper bound on the first frame did not, under CI's parallel tests).
    for (const [k, arrival] of arrivals.entries()) expect(arrival).toBeGreaterThan((5 + 10 * (k + 1)) * 0.95);
    expect(arrivals[2]).toBeLessThan(35 * 1.5 + 10);
  });

  it('drops what is still queued once stopped', async () => {
    const lane = new LinkLane(parseLinkModel('5ms,1Gbit'));
    let ran = false;
    lane.push(10, () => {
      ran = true;
    });
    lane.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
    expect(lane.pending).toBe(0);
  });
});
