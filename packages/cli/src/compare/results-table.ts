/** A Markdown table: a header row and rows of cells, columns padded to line up in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Mean of the last `n` values (all of them when fewer): a final loss less at the mercy of one batch. */
export function tailMean(values: readonly number[], n: number): number {
  const tail = values.slice(Math.max(0, values.length - n));
  return tail.length > 0 ? tail.reduce((a, b) => a + b, 0) / tail.length : Number.NaN;
}
