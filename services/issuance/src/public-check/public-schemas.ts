import { moneySchema } from '@pass/http';
import { z } from 'zod';

export const passCheckBody = z
  .object({
    input: z
      .string()
      .min(1)
      .max(300)
      .describe('A typed code (any spacing) or the text of a scanned QR code.'),
    postcode: z
      .string()
      .regex(/^\d{5}$/)
      .optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .strict()
  .openapi('PassCheckRequest');

export const passCheckResponse = z
  .object({
    genuine: z.boolean(),
    source: z.enum(['qr', 'typed']),
    reason: z.string().nullable(),
    message: z.string(),
    pass: z
      .object({
        value: moneySchema,
        status: z.enum(['usable', 'not_yet_active', 'not_yet_valid', 'used', 'cancelled', 'expired']),
        validFrom: z.string(),
        validUntil: z.string(),
        acceptedUntil: z.string(),
        funder: z.string().nullable(),
        territory: z.string(),
        serviceCategories: z.array(z.string()),
      })
      .nullable(),
    venues: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        street: z.string().nullable(),
        postcode: z.string().nullable(),
        commune: z.string().nullable(),
        openingHours: z.string().nullable(),
        phone: z.string().nullable(),
        website: z.string().nullable(),
        distanceKm: z.number().nullable(),
      }),
    ),
  })
  .openapi('PassCheck');

export const jwksResponse = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string(),
        kid: z.string(),
        use: z.literal('sig'),
        alg: z.literal('EdDSA'),
      }),
    ),
  })
  .openapi('VoucherKeys');

export const communeSearchQuery = z
  .object({ q: z.string().min(2).max(80), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();

export const communeResponse = z
  .object({ code: z.string(), name: z.string(), departement: z.string(), postcodes: z.array(z.string()) })
  .openapi('Commune');

export const departementResponse = z.object({ code: z.string(), name: z.string() }).openapi('Departement');
