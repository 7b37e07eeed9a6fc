import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceEvent } from '@descent/worker';

/**
 * Joins the per-process span files of one run (coordinator.json, worker-*.json) into one Chrome trace
 * (`{ traceEvents }`), which Perfetto and chrome://tracing open. All processes share the machine's clock.
 */
export function mergeTraces(dir: string, out: string): number {
  const events: TraceEvent[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || join(dir, name) === out) continue;
    if (name !== 'coordinator.json' && !name.startsWith('worker-')) continue;
    events.push(...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as TraceEvent[]));
  }
  writeFileSync(out, JSON.stringify({ traceEvents: events, displayTimeUnit: 'ms' }));
  return events.length;
}
