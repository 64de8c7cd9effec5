/** The part of pdfkit's API the invoice PDF uses (pdfkit ships no type declarations). */
declare module 'pdfkit' {
  interface TextOptions {
    width?: number;
    align?: 'left' | 'right' | 'center' | 'justify';
    lineBreak?: boolean;
    continued?: boolean;
  }
  class PDFDocument {
    constructor(options?: Record<string, unknown>);
    y: number;
    page: { width: number; height: number; margins: { top: number; bottom: number; left: number; right: number } };
    font(src: string | Uint8Array): this;
    registerFont(name: string, src: Uint8Array): this;
    heightOfString(text: string, options?: TextOptions): number;
    widthOfString(text: string, options?: TextOptions): number;
    currentLineHeight(includeGap?: boolean): number;
    fontSize(size: number): this;
    fillColor(color: string): this;
    strokeColor(color: string): this;
    lineWidth(width: number): this;
    text(text: string, x?: number, y?: number, options?: TextOptions): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    stroke(): this;
    addPage(options?: Record<string, unknown>): this;
    bufferedPageRange(): { start: number; count: number };
    switchToPage(n: number): this;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    end(): void;
  }
  export default PDFDocument;
}
