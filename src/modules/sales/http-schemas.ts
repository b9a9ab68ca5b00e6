import { z } from 'zod';
import { currencyCode as currency } from '../../platform/http/index.js';
import { dealSchema } from './deal-fields.js';
import { isoDate, minorUnits, stageKind, text } from './field-types.js';

const requiredField = z
  .string()
  .regex(
    /^(amount|expectedCloseDate|contactId|companyId|ownerId|probability|custom\.[a-z][a-zA-Z0-9_]*)$/,
    'must be amount, expectedCloseDate, contactId, companyId, ownerId, probability or custom.<key>',
  );

export const stageBody = z
  .object({
    id: z.uuid().optional(),
    name: text(80).min(1, 'is required'),
    probability: z.number().int().min(0).max(100),
    kind: stageKind,
    rottingDays: z.number().int().min(1).max(3650).nullable().optional(),
    requiredFields: z.array(requiredField).max(20).optional(),
  })
  .strict();

export const pipelineCreateBody = z
  .object({
    name: text(80).min(1, 'is required'),
    isDefault: z.boolean().optional(),
    stages: z.array(stageBody).min(3).max(30).optional(),
  })
  .strict();
export const pipelineUpdateBody = z
  .object({
    name: text(80).min(1).optional(),
    isDefault: z.boolean().optional(),
    stages: z.array(stageBody).min(3).max(30).optional(),
  })
  .strict();

const stageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    probability: z.number().int(),
    kind: stageKind,
    rottingDays: z.number().int().nullable(),
    requiredFields: z.array(z.string()),
  })
  .meta({ id: 'PipelineStage' });
export const pipelineSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean(),
    stages: z.array(stageSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Pipeline' });

const stageRef = z.object({ id: z.uuid(), name: z.string(), kind: stageKind });

/** One stay of a deal in a stage (`GET /deals/{id}/stage-history`). */
export const stageStaySchema = z
  .object({
    id: z.uuid(),
    stage: stageRef,
    fromStage: stageRef.nullable(),
    enteredAt: z.string(),
    leftAt: z.string().nullable(),
    durationMs: z.number().int(),
    changedBy: z.uuid().nullable(),
  })
  .meta({ id: 'DealStageStay' });

export const boardQuery = z
  .object({
    ownerId: z.uuid().optional(),
    closeFrom: isoDate.optional(),
    closeTo: isoDate.optional(),
    q: z
      .string()
      .max(200)
      .optional()
      .describe('Words the deals must match, typos allowed, as in GET /deals?q='),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    stageId: z.uuid().optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const unconvertedStage = z
  .object({
    currency: z.string(),
    count: z.number().int(),
    total: z.number(),
    weighted: z.number(),
  })
  .describe(
    'Deals in a currency without an exchange rate: left out of total and weighted, summed here in their own minor units',
  );
const kindTotals = z.object({
  count: z.number().int(),
  total: z.number(),
  weighted: z.number(),
});
export const boardSchema = z
  .object({
    pipelineId: z.uuid(),
    currency: z.string(),
    missingRates: z
      .array(z.string())
      .describe('Currencies without an exchange rate, left out of the converted totals'),
    stages: z.array(
      z.object({
        stage: stageSchema,
        count: z.number().int(),
        total: z.number(),
        weighted: z.number(),
        unconverted: z.array(unconvertedStage),
        deals: z.array(dealSchema),
        nextCursor: z.string().nullable(),
      }),
    ),
    summary: z
      .object({ open: kindTotals, won: kindTotals, lost: kindTotals })
      .describe('Every stage of each kind summed: open deals never include won or lost ones'),
  })
  .meta({ id: 'PipelineBoard' });

export const forecastQuery = z
  .object({
    period: z.enum(['month', 'quarter']).default('month'),
    ownerId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    date: isoDate.optional(),
  })
  .strict();

const forecastAmounts = {
  closedWon: z.number(),
  commit: z.number(),
  bestCase: z.number(),
  weightedPipeline: z.number(),
};
const unconvertedForecast = z
  .object({ currency: z.string(), ...forecastAmounts })
  .describe(
    'Deals in a currency without an exchange rate: left out of the converted amounts (and of attainment), summed here in their own minor units',
  );
const forecastLine = z.object({
  ownerId: z.uuid().nullable(),
  ...forecastAmounts,
  quota: z.number().nullable(),
  attainment: z.number().nullable(),
  unconverted: z.array(unconvertedForecast),
});
export const forecastSchema = z
  .object({
    period: z.enum(['month', 'quarter']),
    periodStart: z.string(),
    periodEnd: z.string(),
    currency: z.string(),
    owners: z.array(forecastLine),
    total: forecastLine,
    missingRates: z
      .array(z.string())
      .describe('Currencies without an exchange rate, left out of the converted amounts'),
    winRateByStage: z.array(
      z.object({
        stageId: z.uuid(),
        stageName: z.string(),
        closedDeals: z.number().int(),
        won: z.number().int(),
        winRate: z.number().nullable(),
      }),
    ),
    averageSalesCycleDays: z.number().nullable(),
    previousPeriodAccuracy: z.array(
      z.object({
        ownerId: z.uuid(),
        method: z.enum(['commit', 'bestCase', 'weighted']),
        predicted: z.number(),
        actual: z.number(),
        error: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'Forecast' });

export const productBody = z
  .object({
    name: text(200).min(1, 'is required'),
    sku: text(80).nullable(),
    unitPrice: minorUnits,
    currency,
    active: z.boolean(),
  })
  .partial()
  .strict();
export const productCreateBody = productBody.required({
  name: true,
  unitPrice: true,
  currency: true,
});
export const productSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    sku: z.string().nullable(),
    unitPrice: z.number(),
    currency: z.string(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });

export const quotaBody = z
  .object({
    userId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    period: z.enum(['month', 'quarter']),
    periodStart: isoDate.describe('The first day of the month or quarter (2026-04-01)'),
    amount: minorUnits.describe("In the base currency's minor units"),
  })
  .strict();
export const quotaUpdateBody = z
  .object({ amount: minorUnits.describe("In the base currency's minor units") })
  .strict();
export const quotaSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    period: z.enum(['month', 'quarter']),
    periodStart: z.string(),
    amount: z.number(),
    version: z.number().int(),
  })
  .meta({ id: 'Quota' });

const rate = z
  .number()
  .positive()
  .max(1e9)
  .describe('Base units one unit of the currency is worth');
export const exchangeRatesSchema = z
  .object({ base: z.string(), rates: z.record(z.string(), z.number()) })
  .meta({ id: 'ExchangeRates' });
export const exchangeRatePutBody = z
  .object({
    base: currency
      .optional()
      .describe(
        'A new base currency for the organization; its rates come in the same body (the old table is relative to the old base)',
      ),
    rates: z
      .record(currency, rate)
      .describe('The whole table: currencies left out lose their rate; never the base itself'),
  })
  .strict();
export const exchangeRatePatchBody = z
  .object({ rates: z.record(currency, rate.nullable()).describe('Rates to set; null removes one') })
  .strict();
