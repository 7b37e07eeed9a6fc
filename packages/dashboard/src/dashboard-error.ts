/** Stable codes for the dashboard's errors. */
export const DashboardErrorCode = {
  notARun: 'DESCENT_ERR_NOT_A_RUN',
  badRunFile: 'DESCENT_ERR_BAD_RUN_FILE',
  tokenRequired: 'DESCENT_ERR_DASHBOARD_TOKEN_REQUIRED',
  listen: 'DESCENT_ERR_DASHBOARD_LISTEN',
} as const;

export type DashboardErrorCode = (typeof DashboardErrorCode)[keyof typeof DashboardErrorCode];

export class DashboardError extends Error {
  override readonly name = 'DashboardError';

  constructor(
    readonly code: DashboardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
