import { z } from 'zod';

/**
 * The input and output types deals, pipelines, products and quotas share, so an amount or a date
 * is checked the same way on each of them.
 */

/** Trimmed text of at most `max` characters. */
export const text = (max = 200) => z.string().trim().max(max);
/** A calendar date as ISO 8601 spells it (2026-12-31). */
export const isoDate = z.iso.date('must be a date like 2026-12-31');
/** An amount in whole minor units (cents), never negative. */
export const minorUnits = z
  .number()
  .int('must be whole minor units (cents)')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);

/** What a stage means for its deals: still open, won or lost. */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export const stageKind = z.enum(STAGE_KINDS);
