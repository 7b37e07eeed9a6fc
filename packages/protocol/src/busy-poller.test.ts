import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BusyPoller, type PollerClock } from './busy-poller.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The share of the next `ms` the event loop spends awake rather than asleep waiting for I/O. */
async function utilization(ms: number): Promise<number> {
  const before = performance.eventLoopUtilization();
  await sleep(ms);
  return performance.eventLoopUtilization(before).utilization;
}

/** The real time, and a CPU that never waits: no test here runs into the back-off unless it means to. */
const ownCore: PollerClock = { now: () => performance.now(), cpuMs: () => performance.now() };

describe('BusyPoller', () => {
  it('keeps the event loop awake for its budget after a touch, then lets it sleep', async () => {
    const poller = new BusyPoller(120, ownCore);
    poller.touch();
    expect(await utilization(60)).toBeGreaterThan(0.8);
    await sleep(80);
    expect(await utilization(60)).toBeLessThan(0.3);
  });

  it('counts its budget from the last touch', async () => {
    const poller = new BusyPoller(80, ownCore);
    poller.touch();
    await sleep(50);
    poller.touch();
    expect(await utilization(60)).toBeGreaterThan(0.8);
    poller.stop();
  });

  it('stops polling when told to, and never polls with a zero budget', async () => {
    const poller = new BusyPoller(500, ownCore);
    poller.touch();
    poller.stop();
    await sleep(5);
    expect(await utilization(60)).toBeLessThan(0.3);
    new BusyPoller(0).touch();
    expect(await utilization(60)).toBeLessThan(0.3);
  });

  it('stops polling for 2 s when the process gets less than 80% of the CPU time it polls for', async () => {
    const clock = { nowMs: 0, cpu: 0 };
    const fake: PollerClock = { now: () => clock.nowMs, cpuMs: () => clock.cpu };
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const poller = new BusyPoller(100, fake);
    poller.touch();
    // 60 ms of polling with 55 ms of CPU: the core was its own.
    clock.nowMs = 60;
    clock.cpu = 55;
    await turn();
    await turn();
    expect(poller.backedOff).toBe(false);
    // The next 60 ms brought only 30 ms of CPU: another process had the core.
    clock.nowMs = 120;
    clock.cpu = 85;
    await turn();
    await turn();
    expect(poller.backedOff).toBe(true);
    expect(await utilization(60)).toBeLessThan(0.3);
    poller.touch();
    expect(await utilization(60)).toBeLessThan(0.3);
    // Two seconds on, a touch polls again.
    clock.nowMs = 2121;
    expect(poller.backedOff).toBe(false);
    poller.touch();
    expect(await utilization(60)).toBeGreaterThan(0.8);
    poller.stop();
  });

  it('refuses a budget outside [0, 1000] ms', () => {
    expect(() => new BusyPoller(-1)).toThrow(/\[0, 1000\] ms, got -1/);
    expect(() => new BusyPoller(Number.NaN)).toThrow(RangeError);
    expect(() => new BusyPoller(5000)).toThrow(RangeError);
  });
});
