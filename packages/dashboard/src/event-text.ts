import type { CoordinatorEvent } from '@descent/coordinator';

/** One line of the dashboard's event log for a coordinator event. */
export function eventText(e: CoordinatorEvent): string {
  switch (e.type) {
    case 'listening':
      return `listening on ${e.url}`;
    case 'join':
      return `${e.worker} joined (${e.link})`;
    case 'ready':
      return `${e.worker} ready`;
    case 'leave':
      return `${e.worker} left: ${e.reason}`;
    case 'lost':
      return `${e.worker} lost: ${e.reason}`;
    case 'reassign':
      return `step ${e.step}: ${e.job} moved from ${e.from} to ${e.to} (${e.reason})`;
    case 'desync':
      return `${e.worker} out of sync at step ${e.step}: ${e.message}`;
    case 'rejected':
      return `result from ${e.worker} at step ${e.step} rejected: ${e.code}: ${e.message}`;
    case 'refused':
      return `refused ${e.worker}: ${e.code}: ${e.message}`;
    case 'checkpoint':
      return `checkpoint at step ${e.step} (${Math.round(e.ms)} ms)`;
    case 'waiting':
      return `step ${e.step}: waiting for ${e.on} (${e.ready} of ${e.needed} ready)`;
  }
}
