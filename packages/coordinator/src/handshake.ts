import { ErrorCode, type Hello, PROTOCOL_VERSION, type RefusalCode } from '@descent/protocol';
import { tokenMatches } from './token.js';

export interface HandshakeContext {
  readonly token: string | undefined;
  readonly backend: string;
  readonly fingerprint: string;
  readonly serveDataset: boolean;
  readonly admitted: number;
  readonly maxWorkers: number;
  readonly over: boolean;
}

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
}

/** Why a `hello` is refused, or null to admit it. Checks run in this order, token first. */
export function checkHello(hello: Hello, ctx: HandshakeContext): Refusal | null {
  if (ctx.token !== undefined) {
    if (hello.token === undefined) {
      return {
        code: ErrorCode.missingToken,
        message: 'this coordinator needs a token: pass --token-file FILE or set DESCENT_TOKEN',
      };
    }
    if (!tokenMatches(ctx.token, hello.token)) {
      return {
        code: ErrorCode.badToken,
        message: 'the token does not match the coordinator’s; check --token-file or DESCENT_TOKEN',
      };
    }
  }
  if (hello.protocol !== PROTOCOL_VERSION) {
    return {
      code: ErrorCode.protocolVersion,
      message: `worker speaks protocol ${hello.protocol}, the coordinator ${PROTOCOL_VERSION}; run the same descent version on both`,
    };
  }
  if (hello.backend !== ctx.backend) {
    return {
      code: ErrorCode.backendMismatch,
      message: `worker uses the '${hello.backend}' backend, this run '${ctx.backend}'; start the worker with --backend ${ctx.backend}`,
    };
  }
  if (hello.fingerprint === 'none') {
    if (!ctx.serveDataset) {
      return {
        code: ErrorCode.noDataset,
        message:
          'the worker has no data set and this coordinator does not serve it; give the worker --data DIR',
      };
    }
  } else if (hello.fingerprint !== ctx.fingerprint) {
    return {
      code: ErrorCode.fingerprintMismatch,
      message: `worker data set ${hello.fingerprint.slice(0, 16)}… differs from the run's ${ctx.fingerprint.slice(0, 16)}…; point it at the same files or use --cache to fetch them`,
    };
  }
  if (ctx.over) return { code: ErrorCode.runOver, message: 'this run has finished' };
  if (ctx.admitted >= ctx.maxWorkers) {
    return {
      code: ErrorCode.runFull,
      message: `this run already has its maximum of ${ctx.maxWorkers} workers`,
    };
  }
  return null;
}
