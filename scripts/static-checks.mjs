// The static half of `npm test`: lint, both type checks and the format check. Each of them is a
// single-threaded program, so on a 2-core machine they run side by side instead of one after
// another; each one's output is printed whole, after it ends, so failures stay readable.
import { spawn } from 'node:child_process';

const CHECKS = [
  ['lint', 'eslint', ['.']],
  ['typecheck (server)', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (web)', 'tsc', ['-p', 'web/tsconfig.json', '--noEmit']],
  ['format', 'prettier', ['--check', '.']],
];

function run([name, bin, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const verdict = code === 0 ? 'passed' : `FAILED (exit ${code})`;
      process.stdout.write(`\n--- ${name}: ${verdict} in ${seconds}s\n${output.trimEnd()}\n`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(CHECKS.map(run));
if (results.some((ok) => !ok)) process.exit(1);
