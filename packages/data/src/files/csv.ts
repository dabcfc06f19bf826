import { checkString, FormatError } from '@tenzo/core';

/**
 * RFC 4180 CSV: records separated by CRLF or LF, fields by commas; a field in double quotes may
 * hold commas, line breaks and doubled quotes (`""` → `"`). One line break at the end is allowed.
 * Strict where readers usually guess: a quote inside an unquoted field, text after a closing
 * quote, an unterminated quote and records with a different field count than the first are
 * `FormatError`s naming `source`, the line and the column.
 *
 * ```ts
 * parseCsv('name,note\r\na,"x, ""y"""\n', 'notes.csv'); // [['name', 'note'], ['a', 'x, "y"']]
 * ```
 */
export function parseCsv(text: string, source: string): string[][] {
  checkString('parseCsv: source', source);
  checkString(`parseCsv: ${source}: text`, text);
  return csvRecords(text, source).map((r) => r.fields);
}

/** parseCsv's records with the line each starts on. */
function csvRecords(text: string, source: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let row: string[] = [];
  let rowLine = 1;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const fail = (what: string, at = i): never => {
    throw new FormatError(`${source}: line ${line}, column ${at - lineStart + 1}: ${what}`);
  };
  const endRow = () => {
    const want = rows[0]?.fields.length;
    if (want !== undefined && row.length !== want)
      throw new FormatError(
        `${source}: line ${rowLine}: expected ${want} fields as in the first record, got ${row.length}`,
      );
    rows.push({ line: rowLine, fields: row });
    row = [];
  };
  if (n === 0) return rows;
  for (;;) {
    // at the start of a field
    let field: string;
    if (text[i] === '"') {
      const openLine = line;
      const openCol = i - lineStart + 1;
      i++;
      field = '';
      let from = i;
      for (;;) {
        if (i >= n) {
          line = openLine;
          throw new FormatError(
            `${source}: line ${openLine}, column ${openCol}: expected a closing quote for the field opened here, got the end of the file`,
          );
        }
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += `${text.slice(from, i)}"`;
            i += 2;
            from = i;
            continue;
          }
          field += text.slice(from, i);
          i++;
          break;
        }
        if (c === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      const c = text[i];
      if (i < n && c !== ',' && c !== '\n' && c !== '\r')
        fail(`expected a comma or a line break after a closing quote, got ${JSON.stringify(c)}`);
    } else {
      const start = i;
      while (i < n) {
        const c = text[i];
        if (c === ',' || c === '\n' || c === '\r') break;
        if (c === '"')
          fail('expected no quote inside an unquoted field (quote the whole field and double the quote)');
        i++;
      }
      field = text.slice(start, i);
    }
    row.push(field);
    if (i >= n) {
      endRow();
      return rows;
    }
    const c = text[i];
    if (c === ',') {
      i++;
      continue;
    }
    // a line break: CRLF or LF (a lone CR is not a record separator in RFC 4180)
    if (c === '\r') {
      if (text[i + 1] !== '\n') fail('expected LF after CR');
      i++;
    }
    i++;
    endRow();
    line++;
    lineStart = i;
    rowLine = line;
    if (i >= n) return rows;
  }
}

/**
 * Header-addressed records of a CSV file: the first record names the columns, each of `required`
 * must be among them (once). Returns the column index of each name and the data records with
 * their line numbers.
 */
export function csvTable<K extends string>(
  text: string,
  source: string,
  required: readonly K[],
): { columns: Record<K, number>; records: { line: number; fields: string[] }[] } {
  const rows = csvRecords(text, source);
  const header = rows[0]?.fields;
  if (header === undefined) throw new FormatError(`${source}: expected a header record, got an empty file`);
  const columns = {} as Record<K, number>;
  for (const name of required) {
    const at = header.indexOf(name);
    if (at < 0)
      throw new FormatError(`${source}: header: expected a column '${name}', got ${JSON.stringify(header)}`);
    if (header.indexOf(name, at + 1) >= 0)
      throw new FormatError(`${source}: header: expected column '${name}' once, got it twice`);
    columns[name] = at;
  }
  return { columns, records: rows.slice(1) };
}
