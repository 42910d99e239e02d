import { type Money, parseRate } from '@pass/money';

/** The price of an order (issue #5): face value of every pass, the upstream fee and VAT on that fee. */
export interface Quote {
  voucherCount: number;
  faceValue: Money;
  faceTotal: Money;
  /** Fraction, e.g. "0.04" for 4 %. */
  upstreamFeeRate: string;
  upstreamFee: Money;
  vatRate: string;
  vat: Money;
  /** What the funder pays: face total + fee + VAT. Funding must equal it to the cent. */
  total: Money;
}

/**
 * Face total = count × face value (exact); fee = face total × rate, rounded half-up once on the total (never
 * per pass); VAT = fee × VAT rate, rounded half-up once. Rates come from the funder's contract
 * (registry.funders), stored as numeric(7, 6) strings.
 */
export function computeQuote(input: {
  faceValue: Money;
  voucherCount: number;
  upstreamFeeRate: string;
  vatRate: string;
}): Quote {
  const feeRate = parseRate(input.upstreamFeeRate);
  const vatRate = parseRate(input.vatRate);
  const faceTotal = input.faceValue.times(input.voucherCount);
  const upstreamFee = faceTotal.multiplyBy(feeRate, 'half_up');
  const vat = upstreamFee.multiplyBy(vatRate, 'half_up');
  return {
    voucherCount: input.voucherCount,
    faceValue: input.faceValue,
    faceTotal,
    upstreamFeeRate: feeRate.toString(),
    upstreamFee,
    vatRate: vatRate.toString(),
    vat,
    total: faceTotal.add(upstreamFee).add(vat),
  };
}
