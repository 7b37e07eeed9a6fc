import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamSpec } from '../nets/net.js';
import type { OptimizerState } from '../optim/optimizer.js';
import type { BackendName } from '../tensor/backend.js';
import type { TrainConfig } from '../train/config.js';
import { commitFile, fsyncDir, TEMP_MARK, writeTempFile } from './atomic-write.js';
import { sha256Hex } from './hash.js';
import { IoError, IoErrorCode } from './io-error.js';
import { type NamedTensor, readSafetensors, writeSafetensors } from './safetensors.js';

/** Everything needed to continue a run exactly where it stopped. */
export interface Checkpoint {
  readonly step: number;
  readonly config: TrainConfig;
  readonly backend: BackendName;
  readonly specs: readonly ParamSpec[];
  readonly params: Float32Array;
  readonly stats: Float32Array;
  readonly optimizer: OptimizerState;
  /** The sampler's state, a plain JSON-able object. */
  readonly sampler: unknown;
  readonly extra?: Record<string, unknown>;
}

export const CHECKPOINT_FILES = {
  model: 'model.safetensors',
  optimizer: 'optimizer.safetensors',
  state: 'state.json',
} as const;

/** The name of the batch-norm running statistics inside model.safetensors. */
export const STATS_TENSOR = 'running_stats';
const FORMAT = 'descent-checkpoint';
const VERSION = 1;
/** While a save replaces the data files, the previous ones stay reachable under this suffix. */
const PREVIOUS = '.prev';

interface FileRecord {
  sha256: string;
  bytes: number;
}

interface StateFile {
  format: typeof FORMAT;
  version: number;
  step: number;
  backend: BackendName;
  config: TrainConfig;
  sampler: unknown;
  optimizer: { scalars: Record<string, number> };
  extra?: Record<string, unknown>;
  params: { count: number; specs: ParamSpec[] };
  stats: { count: number };
  files: Record<string, FileRecord>;
}

/**
 * Writes the checkpoint into `dir` so that a crash at any moment leaves either this checkpoint or the
 * previous one loadable. Every file goes to a temp name and is fsynced first; the old data files are
 * hard-linked to `*.prev` (which the loader falls back to while state.json still describes them); then
 * the data files and, last, state.json are renamed into place, each rename made durable.
 */
export function saveCheckpoint(dir: string, ckpt: Checkpoint): void {
  checkCheckpoint(ckpt);
  mkdirSync(dir, { recursive: true });
  removeLeftovers(dir);
  const model = writeSafetensors(modelTensors(ckpt), {
    format: 'pt',
    producer: 'descent',
    step: String(ckpt.step),
  });
  const optimizer = writeSafetensors(
    Object.entries(ckpt.optimizer.buffers).map(([name, data]) => ({ name, shape: [data.length], data })),
  );
  const state: StateFile = {
    format: FORMAT,
    version: VERSION,
    step: ckpt.step,
    backend: ckpt.backend,
    config: ckpt.config,
    sampler: ckpt.sampler,
    optimizer: { scalars: { ...ckpt.optimizer.scalars } },
    ...(ckpt.extra === undefined ? {} : { extra: ckpt.extra }),
    params: { count: ckpt.params.length, specs: ckpt.specs.map(plainSpec) },
    stats: { count: ckpt.stats.length },
    files: { [CHECKPOINT_FILES.model]: record(model), [CHECKPOINT_FILES.optimizer]: record(optimizer) },
  };
  const data: [string, Uint8Array][] = [
    [CHECKPOINT_FILES.model, model],
    [CHECKPOINT_FILES.optimizer, optimizer],
  ];
  const temps = data.map(([name, bytes]) => writeTempFile(join(dir, name), bytes));
  const stateTemp = writeTempFile(
    join(dir, CHECKPOINT_FILES.state),
    new TextEncoder().encode(`${JSON.stringify({ ...state, checksum: stateChecksum(state) }, null, 2)}\n`),
  );
  for (const [name] of data) {
    const path = join(dir, name);
    rmSync(path + PREVIOUS, { force: true });
    if (existsSync(path)) linkSync(path, path + PREVIOUS);
  }
  fsyncDir(dir);
  for (const [i, [name]] of data.entries()) commitFile(temps[i] as string, join(dir, name));
  fsyncDir(dir);
  commitFile(stateTemp, join(dir, CHECKPOINT_FILES.state));
  fsyncDir(dir);
  for (const [name] of data) rmSync(join(dir, name + PREVIOUS), { force: true });
}

/** Reads the checkpoint in `dir`, refusing it (and changing nothing) if any file is missing or damaged. */
export function loadCheckpoint(dir: string): Checkpoint {
  const state = readState(dir);
  const model = readSafetensorsFile(dir, CHECKPOINT_FILES.model, state);
  const optimizer = readSafetensorsFile(dir, CHECKPOINT_FILES.optimizer, state);
  const modelFile = join(dir, CHECKPOINT_FILES.model);
  const byName = new Map(model.map((t) => [t.name, t]));
  const params = new Float32Array(state.params.count);
  for (const spec of state.params.specs) {
    const tensor = byName.get(spec.name);
    if (
      tensor === undefined ||
      tensor.data.length !== spec.length ||
      String(tensor.shape) !== String(spec.shape)
    ) {
      throw corrupt(modelFile, `tensor ${spec.name} is missing or not of shape [${spec.shape}]`);
    }
    params.set(tensor.data, spec.offset);
  }
  const statsTensor = byName.get(STATS_TENSOR);
  const stats = statsTensor?.data ?? new Float32Array(0);
  if (stats.length !== state.stats.count)
    throw corrupt(modelFile, `${STATS_TENSOR} holds ${stats.length} values, expected ${state.stats.count}`);
  return {
    step: state.step,
    config: state.config,
    backend: state.backend,
    specs: state.params.specs,
    params,
    stats,
    optimizer: {
      scalars: state.optimizer.scalars,
      buffers: Object.fromEntries(optimizer.map((t) => [t.name, t.data])),
    },
    sampler: state.sampler,
    ...(state.extra === undefined ? {} : { extra: state.extra }),
  };
}

function modelTensors(ckpt: Checkpoint): NamedTensor[] {
  const tensors: NamedTensor[] = ckpt.specs.map((s) => ({
    name: s.name,
    shape: s.shape,
    data: ckpt.params.subarray(s.offset, s.offset + s.length),
  }));
  if (ckpt.stats.length > 0)
    tensors.push({ name: STATS_TENSOR, shape: [ckpt.stats.length], data: ckpt.stats });
  return tensors;
}

/** Refuses a checkpoint that would not load back exactly, before anything is written. */
function checkCheckpoint(ckpt: Checkpoint): void {
  const fail = (detail: string) =>
    new IoError(IoErrorCode.checkpointInvalid, `Cannot save checkpoint: ${detail}.`);
  if (!Number.isSafeInteger(ckpt.step) || ckpt.step < 0)
    throw fail(`step ${ckpt.step} is not a non-negative integer`);
  const sorted = [...ckpt.specs].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const s of sorted) {
    if (s.name === STATS_TENSOR)
      throw fail(`parameter name ${STATS_TENSOR} is reserved for the running statistics`);
    if (s.offset !== covered || s.length !== s.shape.reduce((a, b) => a * b, 1)) {
      throw fail(
        `parameter ${s.name} (offset ${s.offset}, shape [${s.shape}]) leaves a gap or overlaps, or its length is not its shape's`,
      );
    }
    covered += s.length;
  }
  if (covered !== ckpt.params.length)
    throw fail(`the specs cover ${covered} of ${ckpt.params.length} parameters`);
  for (const [name, value] of Object.entries(ckpt.optimizer.scalars)) {
    if (!Number.isFinite(value)) throw fail(`optimizer scalar ${name} is ${value}, which JSON cannot hold`);
  }
}

function readState(dir: string): StateFile {
  const path = join(dir, CHECKPOINT_FILES.state);
  if (!existsSync(path)) {
    throw new IoError(
      IoErrorCode.checkpointMissing,
      `No checkpoint in ${dir}: ${CHECKPOINT_FILES.state} is missing. Check the path.`,
      {
        file: path,
      },
    );
  }
  let state: Partial<StateFile>;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
  } catch (cause) {
    throw corrupt(path, `it is not valid JSON (${String(cause)})`, cause);
  }
  const { checksum, ...body } = state as Partial<StateFile> & { checksum?: unknown };
  if (checksum !== stateChecksum(body)) {
    throw corrupt(path, 'its own checksum does not match its contents (the file was edited or damaged)');
  }
  state = body;
  if (state.format !== FORMAT || state.version !== VERSION) {
    throw corrupt(
      path,
      `it is not a version-${VERSION} ${FORMAT} (format ${String(state.format)}, version ${String(state.version)})`,
    );
  }
  if (typeof state.files !== 'object' || state.params === undefined || state.stats === undefined) {
    throw corrupt(path, 'its files, params or stats section is missing');
  }
  return state as StateFile;
}

/** The file's tensors, taken from `<name>.prev` when a save was interrupted before state.json moved on. */
function readSafetensorsFile(dir: string, name: string, state: StateFile): NamedTensor[] {
  const path = join(dir, name);
  const want = state.files[name];
  if (want === undefined)
    throw corrupt(join(dir, CHECKPOINT_FILES.state), `it records no checksum for ${name}`);
  let problem = '';
  for (const candidate of [path, path + PREVIOUS]) {
    if (!existsSync(candidate)) {
      problem ||= 'the file is missing';
      continue;
    }
    const bytes = readFileSync(candidate);
    if (bytes.length !== want.bytes) {
      problem ||= `truncated or extended: ${bytes.length} bytes, ${CHECKPOINT_FILES.state} records ${want.bytes}`;
    } else if (sha256Hex(bytes) !== want.sha256) {
      problem ||= `its SHA-256 differs from the one ${CHECKPOINT_FILES.state} records (the file is corrupted)`;
    } else {
      try {
        return readSafetensors(bytes).tensors;
      } catch (cause) {
        throw corrupt(candidate, cause instanceof Error ? cause.message : String(cause), cause);
      }
    }
  }
  throw corrupt(path, problem);
}

/** Temp files of a save that never finished; they are never part of a checkpoint. */
function removeLeftovers(dir: string): void {
  const names = Object.values(CHECKPOINT_FILES);
  for (const entry of readdirSync(dir)) {
    if (names.some((n) => entry.startsWith(n + TEMP_MARK))) rmSync(join(dir, entry), { force: true });
  }
}

/**
 * SHA-256 of the state's compact JSON. JSON.parse keeps key order and numbers round-trip exactly, so the parsed
 * body re-serialises to the same text: an edit that leaves valid JSON is still caught.
 */
function stateChecksum(state: object): string {
  return sha256Hex(new TextEncoder().encode(JSON.stringify(state)));
}

function record(bytes: Uint8Array): FileRecord {
  return { sha256: sha256Hex(bytes), bytes: bytes.length };
}

function plainSpec(s: ParamSpec): ParamSpec {
  return { name: s.name, shape: [...s.shape], offset: s.offset, length: s.length, decay: s.decay };
}

function corrupt(file: string, detail: string, cause?: unknown): IoError {
  return new IoError(
    IoErrorCode.checkpointCorrupt,
    `Checkpoint file ${file} cannot be used: ${detail}. Resume from another checkpoint or start the run again.`,
    { file, cause },
  );
}
