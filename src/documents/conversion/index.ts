/** Conversion: any document as PDF, a chart as one PDF, a chart's documents for export. */
export { imageToPdf, addImagePages, type ImageContentType } from './image-pdf.js';
export { readDocumentPdf, pdfFileName, type DocumentPdf } from './document-pdf.js';
export { printChart, type ChartPdf } from './chart-pdf.js';
export { exportChart, type ExportedChart } from './chart-export.js';
export { selectChart, type ChartSelection } from './chart-selection.js';
export { conversionRoutes, ChartSelectionInput } from './routes.js';
