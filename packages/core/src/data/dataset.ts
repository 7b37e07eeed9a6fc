/** One split of an image-classification data set, pixels kept as bytes (scaled to [0, 1] per batch). */
export interface Dataset {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** rows × cols */
  readonly features: number;
  readonly classes: number;
  /** count × features bytes, row-major. */
  readonly images: Uint8Array;
  /** count labels in [0, classes). */
  readonly labels: Uint8Array;
}

export interface DataSplits {
  readonly train: Dataset;
  readonly test: Dataset;
  /** SHA-256 (hex) over the four files' decoded bytes: workers must hold exactly the coordinator's data. */
  readonly fingerprint: string;
  /** Where it was read from, for messages. */
  readonly source: string;
}
