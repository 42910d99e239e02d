export {
  createRedemptionService,
  REDEMPTION_JOBS,
  redemptionModule,
  runFraudScan,
} from './redemption-module';
export { REFUSAL_CODES, type RefusalCode, refusalMessage } from './redemptions/redemption';
