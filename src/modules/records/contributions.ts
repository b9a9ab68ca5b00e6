import type { ImportKind } from './import-batch.js';
import { registerImportFields, type ImportObjectType } from './import-mapping.js';
import { registerDataImportKind, registerImportKind } from './imports.js';
import { installPersonalDataSources, type PersonalDataSource } from './personal-sources.js';
import { installSearchProviders, type SearchProvider } from './search.js';

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
 * What a module lends the records module's shared machinery, declared beside its
 * `ModuleDefinition` (`ModuleDefinition & RecordsContributions`); the module list installs them
 * at start-up, in module order.
 */
export interface RecordsContributions {
  /** Its records in the import wizard and API. */
  importKinds?: readonly ImportKindDefinition[];
  /** Its record types in the global search. */
  searchProviders?: readonly SearchProvider[];
  /** What it holds about a contact, for GDPR exports and erasure. */
  personalData?: readonly PersonalDataSource[];
  /** How records of objects defined as data are imported, given the object's key. */
  dataImportKind?: (objectType: string) => ImportKind;
}

/** Installs every module's contributions; idempotent, so each createDeps of a process may call it. */
export function installRecordsContributions(modules: readonly RecordsContributions[]): void {
  for (const d of modules.flatMap((m) => m.importKinds ?? [])) {
    registerImportFields(d.objectType, d.fields, d.synonyms);
    registerImportKind(d.objectType, d.kind);
  }
  for (const m of modules) if (m.dataImportKind) registerDataImportKind(m.dataImportKind);
  installSearchProviders(modules.flatMap((m) => m.searchProviders ?? []));
  installPersonalDataSources(modules.flatMap((m) => m.personalData ?? []));
}
