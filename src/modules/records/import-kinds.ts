import type { ImportKind } from './import-batch.js';
import { registerImportFields, type ImportObjectType } from './import-mapping.js';
import { registerImportKind } from './imports.js';

/** Another module's records joining the import wizard and API: how they are written, and their columns. */
export interface ImportKindDefinition {
  objectType: ImportObjectType;
  kind: ImportKind;
  /** The fields an import column can fill. */
  fields: readonly string[];
  /** Header spellings that suggest each field (`'first name'` → `firstName`). */
  synonyms: Record<string, string[]>;
}

/**
 * What a module lends the records module's imports, declared beside its `ModuleDefinition`
 * (`ModuleDefinition & ImportContributions`); the module list installs them at start-up.
 */
export interface ImportContributions {
  importKinds?: readonly ImportKindDefinition[];
}

/** Makes the modules' import kinds known; called by the module list when the process is wired. */
export function installImportKinds(list: readonly ImportKindDefinition[]): void {
  for (const d of list) {
    registerImportFields(d.objectType, d.fields, d.synonyms);
    registerImportKind(d.objectType, d.kind);
  }
}
