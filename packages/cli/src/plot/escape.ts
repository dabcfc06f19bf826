import { checkString } from '@tenzo/core';
/** Escapes text for SVG/XML content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return (
    checkString('escapeXml: text', text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Control characters (except tab/newline) are not allowed in XML 1.0 at all.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}
