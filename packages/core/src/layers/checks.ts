// Argument checks shared by the layers and nets (internal: not exported from the package).

export function checkRows(layer: string, rows: number, maxRows: number): void {
  if (!Number.isInteger(rows) || rows < 1 || rows > maxRows) {
    throw new RangeError(`${layer}: rows must be an integer in [1, ${maxRows}], got ${rows}`);
  }
}

export function checkBackwardRows(layer: string, rows: number, forwardRows: number): void {
  if (forwardRows === 0) throw new Error(`${layer}: backward called before forward`);
  if (rows !== forwardRows)
    throw new RangeError(`${layer}: backward got ${rows} rows, forward had ${forwardRows}`);
}

export function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
