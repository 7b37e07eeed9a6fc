/** Bumped whenever a message kind changes shape; both ends must agree exactly. */
export const PROTOCOL_VERSION = 3;

/** Default largest frame either end accepts (bytes). The dataset travels in chunks well below it. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Size of one dataset chunk on the wire. */
export const DATASET_CHUNK_BYTES = 4 * 1024 * 1024;
