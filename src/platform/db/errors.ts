/** Whether the database refused a write for a unique index (SQLSTATE 23505), on PostgreSQL and PGlite alike. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'code' in e && e.code === '23505';
