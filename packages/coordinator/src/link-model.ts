import { CoordinatorError, CoordinatorErrorCode } from './coordinator-error.js';

/** A simulated network link: every frame waits for the frames before it, its bytes at the bandwidth, then the latency. */
export interface LinkModel {
  /** One-way delay added to every frame, in milliseconds. */
  readonly latencyMs: number;
  /** Bandwidth cap, in bits per second. */
  readonly bitsPerSecond: number;
}

const UNITS: Readonly<Record<string, number>> = {
  bit: 1,
  kbit: 1e3,
  mbit: 1e6,
  gbit: 1e9,
};

/**
 * Reads `LATENCY,BANDWIDTH` as in `0.5ms,10Gbit` or `20ms,100Mbit` (latency in ms or us, bandwidth in
 * bit, Kbit, Mbit or Gbit per second).
 */
export function parseLinkModel(text: string): LinkModel {
  const bad = () =>
    new CoordinatorError(
      CoordinatorErrorCode.badOption,
      `link '${text}' is not LATENCY,BANDWIDTH; write it as 0.5ms,10Gbit or 20ms,100Mbit`,
    );
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2) throw bad();
  const latency = /^(\d+(?:\.\d+)?)(ms|us)$/i.exec(parts[0]);
  const bandwidth = /^(\d+(?:\.\d+)?)\s*([kmg]?bit)(?:\/s|ps)?$/i.exec(parts[1]);
  if (!latency || !bandwidth) throw bad();
  const latencyMs = Number(latency[1]) / (latency[2].toLowerCase() === 'us' ? 1000 : 1);
  const bitsPerSecond = Number(bandwidth[1]) * (UNITS[bandwidth[2].toLowerCase()] ?? Number.NaN);
  if (!(bitsPerSecond > 0)) throw bad();
  return { latencyMs, bitsPerSecond };
}

/** `0.5ms,10Gbit` again, for tables and file names. */
export function formatLinkModel(link: LinkModel): string {
  const bw = link.bitsPerSecond;
  const [value, unit] = bw >= 1e9 ? [bw / 1e9, 'Gbit'] : bw >= 1e6 ? [bw / 1e6, 'Mbit'] : [bw / 1e3, 'Kbit'];
  return `${link.latencyMs}ms,${Number(value.toPrecision(4))}${unit}`;
}
