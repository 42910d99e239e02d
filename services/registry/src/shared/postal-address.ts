import { z } from './openapi-zod';

// ISO 20022 structured address limits (pain.001): the address must fit the bank file without truncation.
export const postalAddressSchema = z
  .object({
    street: z.string().trim().min(1).max(70),
    buildingNumber: z.string().trim().min(1).max(16).nullish(),
    postcode: z.string().trim().min(1).max(16),
    town: z.string().trim().min(1).max(35),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. FR')
      .default('FR'),
  })
  .strict()
  .refine((address) => address.country !== 'FR' || /^\d{5}$/.test(address.postcode), {
    message: 'a French postcode has 5 digits',
    path: ['postcode'],
  })
  .openapi('PostalAddress');

export type PostalAddress = {
  street: string;
  buildingNumber: string | null;
  postcode: string;
  town: string;
  country: string;
};

/** Normalises a parsed address (missing building number → null). */
export function toPostalAddress(input: z.infer<typeof postalAddressSchema>): PostalAddress {
  return {
    street: input.street,
    buildingNumber: input.buildingNumber ?? null,
    postcode: input.postcode,
    town: input.town,
    country: input.country,
  };
}
