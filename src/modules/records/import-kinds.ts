import { errors } from '../../platform/errors/index.js';
import type { ImportKind } from './import-batch.js';
import type { ImportObjectType } from './import-mapping.js';

/** What each object type brings to an import (its module registers it); everything else is shared. */
const KINDS = new Map<ImportObjectType, ImportKind>();

/** How records of objects defined as data are imported (the objects module supplies it). */
let dataKind: ((objectType: string) => ImportKind) | null = null;

/** Lets a module import its records (contacts, companies, leads) through the same files, batches and rollback. */
export function registerImportKind(objectType: ImportObjectType, kind: ImportKind): void {
  KINDS.set(objectType, kind);
}

/** Lets the module of objects defined as data import their records. */
export function registerDataImportKind(kind: (objectType: string) => ImportKind): void {
  dataKind = kind;
}

/** How `objectType` is imported; 400 naming `objectType` when it cannot be. */
export function kindOf(objectType: ImportObjectType): ImportKind {
  const kind = KINDS.get(objectType) ?? dataKind?.(objectType);
  if (!kind)
    throw errors.validation([
      { path: 'objectType', message: `${objectType} records cannot be imported here` },
    ]);
  return kind;
}
