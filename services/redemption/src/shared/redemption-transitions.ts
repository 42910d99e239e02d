export {
  redeemVouchersInOrder,
  restoreRedeemedVouchersInOrder,
  VOUCHER_WITH_BATCH_COLUMNS,
  voucherRefusals,
  voucherWithBatchFromRow,
} from '@pass/vouchers';
