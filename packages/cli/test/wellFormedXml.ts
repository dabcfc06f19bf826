/**
 * A small well-formedness check for generated SVG (no DOM parser in node): balanced and
 * properly nested tags, quoted unique attributes, only declared entities, no raw '<' or '&'
 * in text. Returns the problems found (empty when well-formed) and the element names seen.
 */
export function checkXml(xml: string): { errors: string[]; elements: string[] } {
  const errors: string[] = [];
  const elements: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string, where: string) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '<') errors.push(`raw '<' in ${where}`);
      if (text[i] === '&') {
        entity.lastIndex = i;
        if (!entity.test(text)) errors.push(`bad entity in ${where}: ${text.slice(i, i + 10)}`);
      }
    }
  };
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (stack.length === 0 && text.trim()) errors.push(`text outside the root: ${text.trim().slice(0, 20)}`);
    checkText(text, 'text');
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) {
      errors.push('unterminated tag');
      break;
    }
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('?') || tag.startsWith('!--')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) errors.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.:-]*)/.exec(body);
    if (!m) {
      errors.push(`bad tag <${tag.slice(0, 20)}>`);
      continue;
    }
    const name = m[1]!;
    if (stack.length === 0) roots++;
    elements.push(name);
    let rest = body.slice(name.length);
    const seen = new Set<string>();
    const attr = /^\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/;
    for (let a = attr.exec(rest); a; a = attr.exec(rest)) {
      if (seen.has(a[1]!)) errors.push(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1]!);
      checkText(a[2]!, `attribute ${a[1]}`);
      rest = rest.slice(a[0].length);
    }
    if (rest.trim()) errors.push(`malformed attributes on <${name}>: ${rest.trim().slice(0, 30)}`);
    if (!selfClosing) stack.push(name);
  }
  if (stack.length) errors.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) errors.push(`expected one root element, got ${roots}`);
  return { errors, elements };
}
