import { z } from 'zod';
import { currencyCode } from '../../platform/http/index.js';
import { normalizePhone } from './normalize.js';

/**
 * The input types contacts' and companies' bodies share, so a phone or an address is validated
 * the same way whichever record it is on.
 */

/** Trimmed text of at most `max` characters. */
export const text = (max = 200) => z.string().trim().max(max);
/** Trimmed text of at most `max` characters, or null to clear it. */
export const nullableText = (max = 200) => text(max).nullable();

/** A phone number as people type it, stored as E.164. */
export const phoneNumber = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const e164 = normalizePhone(v);
    if (!e164)
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number (E.164 or national)' });
    return e164 ?? v;
  });

/** A postal address by its parts, or null to clear it. */
export const address = z
  .object({
    street: text(300).optional(),
    city: text().optional(),
    region: text().optional(),
    postalCode: text(20).optional(),
    country: text(60).optional(),
  })
  .strict()
  .nullable();

/** An amount of money in minor units with its currency (API.md). */
export const money = z.object({
  amount: z.number().int('must be in minor units (cents)').min(0),
  currency: currencyCode,
});
