import { sql, type RawBuilder } from 'kysely';

/**
 * A timestamptz column as `Date.prototype.toISOString()` writes it: UTC, exactly three fraction
 * digits, `Z`. `MS` truncates the microseconds as the driver's date parser does, so JSON built by
 * PostgreSQL reads the same as the rows presented in Node; null stays null.
 */
export function isoTimestampSql(column: string): RawBuilder<string | null> {
  return sql<
    string | null
  >`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
