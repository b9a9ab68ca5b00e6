import { z } from 'zod';

/** The body of a create or update of a custom object's record. */
export const recordBody = z
  .record(z.string(), z.unknown())
  .describe(
    "`name`, `ownerId` and the object's fields by key (GET /api/v1/objects describes them); they may also be given under `customFields`",
  );
