import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parse as parseDomain } from 'tldts';

/**
 * A phone number in E.164, or null when it cannot be a real number. Numbers without a country
 * code are read in the organization's default region.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'US'): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The registrable host of a domain or URL, lower-cased, without `www.`: "https://WWW.Acme.co.uk/x" → "acme.co.uk". */
export function normalizeDomain(input: string): string | null {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return null;
  const result = parseDomain(trimmed.includes('://') ? trimmed : `http://${trimmed}`);
  if (!result.hostname || !result.domain || result.isIp) return null;
  return result.hostname.replace(/^www\./, '');
}

/** The domain of an email address, or null for free-mail providers that say nothing about a company. */
export function companyDomainOfEmail(email: string): string | null {
  const domain = normalizeDomain(email.split('@')[1] ?? '');
  return domain && !FREE_MAIL.has(domain) ? domain : null;
}

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'yandex.ru',
  'mail.ru',
]);
