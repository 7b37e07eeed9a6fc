import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BusyPoller } from './busy-poller.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The share of the next `ms` the event loop spends awake rather than asleep waiting for I/O. */
async function utilization(ms: number): Promise<number> {
  const before = performance.eventLoopUtilization();
  await sleep(ms);
  return performance.eventLoopUtilization(before).utilization;
}

describe('BusyPoller', () => {
  it('keeps the event loop awake for its budget after a touch, then lets it sleep', async () => {
    const poller = new BusyPoller(120);
    poller.touch();
    expect(await utilization(60)).toBeGreaterThan(0.8);
    await sleep(80);
    expect(await utilization(60)).toBeLessThan(0.3);
  });

  it('counts its budget from the last touch', async () => {
    const poller = new BusyPoller(80);
    poller.touch();
    await sleep(50);
    poller.touch();
    expect(await utilization(60)).toBeGreaterThan(0.8);
    poller.stop();
  });

  it('stops polling when told to, and never polls with a zero budget', async () => {
    const poller = new BusyPoller(500);
    poller.touch();
    poller.stop();
    await sleep(5);
    expect(await utilization(60)).toBeLessThan(0.3);
    new BusyPoller(0).touch();
    expect(await utilization(60)).toBeLessThan(0.3);
  });

  it('refuses a budget outside [0, 1000] ms', () => {
    expect(() => new BusyPoller(-1)).toThrow(/\[0, 1000\] ms, got -1/);
    expect(() => new BusyPoller(Number.NaN)).toThrow(RangeError);
    expect(() => new BusyPoller(5000)).toThrow(RangeError);
  });
});
