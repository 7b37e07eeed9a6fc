import type { FlagSpec } from './flags.js';

/** The live dashboard's flags, shared by `train` and `coordinator`. */
export const dashboardFlags: Readonly<Record<string, FlagSpec>> = {
  'no-dashboard': { type: 'boolean', help: 'do not serve the live dashboard page' },
  'dashboard-host': {
    type: 'string',
    value: 'HOST',
    help: 'address the dashboard binds; anything but loopback needs the token',
    default: '127.0.0.1',
  },
  'dashboard-port': {
    type: 'string',
    value: 'PORT',
    help: 'port of the dashboard page (0 picks a free one)',
    default: '0',
  },
};
