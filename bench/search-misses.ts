/**
 * The API caches a search's answer per organization until a record changes, so a benchmark
 * that cycles a few keystrokes measures the cache after the first round. These paths spell
 * each round's keystrokes differently — leading punctuation, which the word splitter drops —
 * so every request does the full work of the same question. 2,401 rounds (7^4 spellings).
 */
export function cacheMissSearchPaths(keystrokes: readonly string[], limit: number): string[] {
  const punctuation = '.,;:!-_';
  const spelled = (round: number) =>
    [round % 7, Math.floor(round / 7) % 7, Math.floor(round / 49) % 7, Math.floor(round / 343)]
      .map((d) => punctuation[d] ?? '')
      .join('');
  return Array.from({ length: 2401 }, (_, round) =>
    keystrokes.map(
      (k) =>
        `/api/v1/search?q=${encodeURIComponent(spelled(round) + k)}&types=contacts&limit=${limit}`,
    ),
  ).flat();
}
