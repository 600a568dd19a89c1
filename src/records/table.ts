import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { chinaDateTime } from '../calendar';
import type { OfficeRecord } from './record';

/** The export's columns, headed in Chinese for the office: one row per certified person. */
export const HEADINGS = ['身份证号', '姓名', '手机号', '认证类别', '认证时间', '核验方式', '核验流水号'] as const;

/** How the office reads a provider's name; an unknown provider shows as it is named. */
const PROVIDERS: Readonly<Record<string, string>> = { stub: '模拟核验（测试用，非真实人脸识别）', tencent: '腾讯云人脸核身' };


export function rowOf(r: OfficeRecord): string[] {
  return [r.idNumber, r.name, r.phone, r.category, chinaDateTime(Date.parse(r.certifiedAt)), PROVIDERS[r.reference.provider] ?? r.reference.provider, r.reference.id];
}

export type Format = 'csv' | 'xlsx';

export interface TableWriter {
  add(row: readonly string[]): Promise<void>;
  /** Finishes the file; after this the file is complete. */
  end(): Promise<void>;
}

/**
 * A CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (=, +, -, @) gets
 * a leading apostrophe: a provider's reference may well start with "-".
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV in UTF-8 with a byte-order mark, so that Excel opens it as UTF-8; CRLF line ends. */
async function csvWriter(file: string): Promise<TableWriter> {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  await once(out, 'open');
  const line = async (cells: readonly string[]) => {
    if (!out.write(`${cells.map(csvCell).join(',')}\r\n`)) await once(out, 'drain');
  };
  out.write('\uFEFF');
  await line(HEADINGS);
  return {
    add: line,
    async end() {
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * An .xlsx streamed row by row (exceljs's streaming writer: memory stays flat however many rows).
 * Every cell is text, so Excel keeps an ID number's 18 digits instead of showing 1.50102E+17.
 */
async function xlsxWriter(file: string): Promise<TableWriter> {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  await once(out, 'open');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet('认证名单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = HEADINGS.map((header, i) => ({ header, key: String(i), width: [22, 12, 15, 16, 21, 18, 48][i], style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return {
    async add(row) {
      sheet.addRow([...row]).commit();
    },
    async end() {
      sheet.commit();
      await book.commit();
    },
  };
}

/** Opens a writer for a new file (never overwrites one: the caller writes to a fresh temporary name). */
export const openTable = (format: Format, file: string): Promise<TableWriter> => (format === 'csv' ? csvWriter(file) : xlsxWriter(file));
