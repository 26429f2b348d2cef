/**
 * Turns a file's bytes into text, or into a clear reason why it cannot be read as text. A paper
 * listing pasted from the web is untrusted: binary data is refused, and invalid UTF-8 is decoded
 * with replacement characters and reported, so nothing is silently lost or misread.
 */

export type DecodedContent =
  | { ok: true; text: string; warning?: string }
  | { ok: false; reason: string };

const BINARY_PROBE = 8192;

export function decodeContent(bytes: Uint8Array): DecodedContent {
  const probe = bytes.subarray(0, BINARY_PROBE);
  if (probe.includes(0)) return { ok: false, reason: 'binary data (a NUL byte), not a text file' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { ok: true, text, warning: 'not valid UTF-8: undecodable bytes are shown as \ufffd' };
  }
}
