// Entry point of the PGlite worker thread. A worker does not inherit the loader the main thread
// registered, so it registers tsx itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker.ts');
