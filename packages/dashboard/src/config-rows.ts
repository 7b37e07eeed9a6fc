/**
 * A run's config.json flattened to dotted keys and display strings, in the file's order, so the page can show
 * any config without knowing its shape.
 */
export function configRows(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [[prefix || 'value', display(value)]];
  }
  const rows: [string, string][] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) rows.push(...configRows(v, name));
    else rows.push([name, display(v)]);
  }
  return rows;
}

function display(v: unknown): string {
  if (Array.isArray(v)) return v.map(display).join(', ');
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}
