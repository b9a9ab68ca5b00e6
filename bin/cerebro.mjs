#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: no server build step to go stale.
import { register } from 'tsx/esm/api';

register();
await import('../src/interfaces/cli/main.ts');
