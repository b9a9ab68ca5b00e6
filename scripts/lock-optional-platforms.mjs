// The registry this project installs from lacks some platform binaries that Tailwind's engine
// lists as optional dependencies (macOS, Windows, FreeBSD, Android, WASI builds of
// @tailwindcss/oxide). `npm install` then leaves them out of package-lock.json and `npm ci`
// refuses the lock. This adds their lock entries, marked optional and platform-bound, so `npm ci`
// skips them on Linux exactly as it would with a complete lock. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = {
  'android-arm64': [['android'], ['arm64']],
  'darwin-arm64': [['darwin'], ['arm64']],
  'darwin-x64': [['darwin'], ['x64']],
  'freebsd-x64': [['freebsd'], ['x64']],
  'linux-arm-gnueabihf': [['linux'], ['arm']],
  'wasm32-wasi': [null, ['wasm32']],
  'win32-arm64-msvc': [['win32'], ['arm64']],
  'win32-x64-msvc': [['win32'], ['x64']],
};

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const oxide = lock.packages['node_modules/@tailwindcss/oxide'];
let added = 0;
for (const [name, version] of Object.entries(oxide?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const platform = PLATFORMS[name.replace('@tailwindcss/oxide-', '')];
  if (lock.packages[key] || !platform) continue;
  const [os, cpu] = platform;
  lock.packages[key] = {
    version,
    ...(cpu ? { cpu } : {}),
    dev: true,
    license: 'MIT',
    optional: true,
    ...(os ? { os } : {}),
    engines: { node: '>= 20' },
  };
  added++;
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} optional platform entries\n`);
