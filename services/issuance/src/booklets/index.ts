export type {
  BookletBatchInfo,
  BookletPass,
  BookletRenderInput,
  BookletToRender,
} from './booklet-render-input';
export { createPassLayerBuilder, type PassLayerBuilder } from './pass-layer-builder';
export { type BookletRenderOptions, renderBookletProof, renderBookletsPdf } from './render-booklets-pdf';
export { PRINTER_CSV_COLUMNS, type PrinterCsvRow, writePrinterCsv } from './write-printer-csv';
