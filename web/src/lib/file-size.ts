/**
 * The largest file an import accepts: the server's multipart limit (MAX_UPLOAD_BYTES in
 * src/platform/http/app.ts). Checked here so a too-large file is refused before it is uploaded.
 */
export const MAX_IMPORT_BYTES = 2 * 1024 ** 3;

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** A byte count for people: "312 B", "4.2 KB", "12 MB" (binary units, as file managers show). */
export function formatBytes(bytes: number): string {
  // Below a kilobyte the exact count: a small file never reads as "0 KB".
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal below 10 ("1.5 MB"), none above ("12 MB"); never "1.0".
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  // Rounding up to 1024 of a unit reads better as 1 of the next one.
  if (shown >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1] ?? 'TB'}`;
  return `${shown} ${UNITS[unit] ?? 'TB'}`;
}

/** Why a file cannot be imported, or null when it can. */
export function importFileProblem(file: { size: number }): string | null {
  if (file.size === 0) return 'This file is empty.';
  if (file.size > MAX_IMPORT_BYTES) {
    return `This file is ${formatBytes(file.size)}; imports take files up to ${formatBytes(MAX_IMPORT_BYTES)}. Split it into smaller files.`;
  }
  return null;
}
