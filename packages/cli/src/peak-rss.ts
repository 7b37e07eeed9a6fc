import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory in MB. On Linux it is VmHWM, the high-water mark of this process's own
 * address space: getrusage's maxRSS (process.resourceUsage) is carried across exec, so a spawned worker
 * would report its parent's peak at the moment it was spawned whenever that was higher than its own.
 */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // No procfs (macOS, Windows): fall back to getrusage.
  }
  return process.resourceUsage().maxRSS / 1024;
}
