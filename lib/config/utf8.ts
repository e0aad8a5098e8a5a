// TextDecoder with `fatal: true` says that bytes are not UTF-8 but not where; a person fixing a file needs the
// offset. Follows the well-formed byte sequences of Unicode 15, table 3-7: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF.

/** Offset of the first byte of the first ill-formed UTF-8 sequence in `bytes`, or null when all of it is UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): number | null {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // Continuation bytes are 0x80..0xBF; the second byte is narrower after E0, ED, F0 and F4.
    let extra: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) extra = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= extra; k += 1) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += extra + 1;
  }
  return null;
}
