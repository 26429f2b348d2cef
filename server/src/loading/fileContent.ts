/**
 * Turns a file's bytes into text, or into a clear reason why it cannot be read as text. A paper
 * listing pasted from the web is untrusted: binary data is refused, and invalid UTF-8 is decoded
 * with replacement characters and reported, so nothing is silently lost or misread.
 */

import { isUtf8 } from 'node:buffer';

/** `warning`: the one thing reading text may warn of, bytes that are not valid UTF-8. */
export type DecodedContent =
  | { ok: true; text: string; warning?: string }
  | { ok: false; code: 'binary'; reason: string };

const BINARY_PROBE = 8192;

export function decodeContent(bytes: Uint8Array): DecodedContent {
  const probe = bytes.subarray(0, BINARY_PROBE);
  if (probe.includes(0)) return { ok: false, code: 'binary', reason: 'binary data (a NUL byte), not a text file' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { ok: true, text, warning: 'not valid UTF-8: undecodable bytes are shown as \ufffd' };
  }
}

export type DecodedLines =
  | { ok: true; lines: string[]; hadByteOrderMark: boolean; warning?: string }
  | { ok: false; code: 'binary'; reason: string };

/**
 * Decodes a file line by line. Each line becomes its own string, so a line of Latin-1 text is
 * stored one byte per character even when another line of the file needs two; decoding the whole
 * file first would store every line at two bytes per character and keep the whole text alive.
 * Files with lone `\r` line ends or invalid UTF-8 take the plain path.
 */
export function decodeLines(bytes: Uint8Array): DecodedLines {
  const probe = bytes.subarray(0, BINARY_PROBE);
  if (probe.includes(0)) return { ok: false, code: 'binary', reason: 'binary data (a NUL byte), not a text file' };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer) || hasLoneCarriageReturn(buffer)) {
    const decoded = decodeContent(bytes);
    if (!decoded.ok) return decoded;
    const hadByteOrderMark = decoded.text.charCodeAt(0) === 0xfeff;
    const lines = (hadByteOrderMark ? decoded.text.slice(1) : decoded.text).split(/\r\n|\r|\n/);
    return { ok: true, lines, hadByteOrderMark, warning: decoded.warning };
  }
  const hadByteOrderMark = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  const lines: string[] = [];
  let start = hadByteOrderMark ? 3 : 0;
  for (;;) {
    const newline = buffer.indexOf(10, start);
    const end = newline < 0 ? buffer.length : newline;
    const contentEnd = end > start && buffer[end - 1] === 13 ? end - 1 : end;
    lines.push(buffer.toString('utf8', start, contentEnd));
    if (newline < 0) break;
    start = newline + 1;
  }
  return { ok: true, lines, hadByteOrderMark };
}

function hasLoneCarriageReturn(buffer: Buffer): boolean {
  for (let at = buffer.indexOf(13); at >= 0; at = buffer.indexOf(13, at + 1)) {
    if (buffer[at + 1] !== 10) return true;
  }
  return false;
}
