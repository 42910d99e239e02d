export { exportVenueOpenData, PASS_NUMERIQUE_LABEL, type VenueForExport } from './export-venue-open-data';
export { labelKey } from './label-key';
export {
  type FileWarningCode,
  type Issue,
  type IssueCode,
  type NormalizedVenue,
  type OpenDataFormat,
  type RejectionCode,
  type SchemaVersion,
  VenueOpenDataFormatError,
  type VenueImportRow,
  type VenueOpenDataParseResult,
  type WarningCode,
} from './normalized-venue';
export {
  canonicalColumn,
  REQUIRED_COLUMNS,
  V01_COLUMNS,
  V1_COLUMNS,
  type V1Column,
} from './open-data-columns';
export { parseVenueOpenData } from './parse-venue-open-data';
export {
  isServiceSlug,
  SERVICE_CATEGORIES,
  SERVICE_SLUGS,
  type ServiceCategory,
  type ServiceSlug,
  serviceCategoryOf,
  serviceLabel,
} from './service-categories';
export {
  ACCESS_MODES,
  type Fee,
  FEES,
  mentionsPassNumerique,
  NATIONAL_PROGRAMS,
  PUBLICS,
  SPECIFIC_SUPPORT,
  SUPPORT_MODES,
  TRAINING_LABELS,
  type Vocabulary,
} from './venue-vocabularies';
