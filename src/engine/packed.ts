/**
 * Typed arrays stored one after another in a file `npm run build` writes beside the knowledge snapshot (the phrases'
 * automaton, the entry examples' postings): each padded to four bytes, in the machine's own byte order — the file is
 * read where it was built. Their lengths are the reader's to know (a count stored first, or a header).
 */
export type Packable = Int16Array | Uint16Array | Uint32Array | Int32Array;

export function pack(arrays: readonly Packable[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const a of arrays) {
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    if (a.byteLength % 4 !== 0) parts.push(new Uint8Array(4 - (a.byteLength % 4)));
  }
  return Buffer.concat(parts);
}

/**
 * Reads back, in the order they were packed, arrays of known lengths: each a copy of its own (no view on a pooled
 * buffer), or, with `share`, a view on the bytes themselves where they are aligned — for bytes that are the reader's
 * alone, a whole file read for these arrays (the model's tables: no second copy of 3 MB at every start).
 */
export class Unpacker {
  private at = 0;
  private short = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly share = false,
  ) {}

  i16(length: number): Int16Array {
    return new Int16Array(...this.take(length, 2));
  }

  u16(length: number): Uint16Array {
    return new Uint16Array(...this.take(length, 2));
  }

  u32(length: number): Uint32Array {
    return new Uint32Array(...this.take(length, 4));
  }

  i32(length: number): Int32Array {
    return new Int32Array(...this.take(length, 4));
  }

  /** Every byte read, and no array past the end: the bytes were of the layout the reader expects. */
  get done(): boolean {
    return !this.short && this.at === this.bytes.byteLength;
  }

  /** Buffer, byte offset and length of the next array, of `length` items of `size` bytes (none past the end). */
  private take(length: number, size: number): [ArrayBuffer, number, number] {
    const from = this.at;
    const byteLength = length * size;
    this.at += (byteLength + 3) & ~3;
    if (from + byteLength > this.bytes.byteLength) {
      this.short = true;
      return [new ArrayBuffer(0), 0, 0];
    }
    const offset = this.bytes.byteOffset + from;
    // Every array starts on four bytes from the start of the bytes (pack pads them): aligned when the bytes are.
    if (this.share && this.bytes.byteOffset % 4 === 0) return [this.bytes.buffer as ArrayBuffer, offset, length];
    return [this.bytes.buffer.slice(offset, offset + byteLength) as ArrayBuffer, 0, length];
  }
}
