/**
 * Reads a stream to its end as UTF-8. The bytes are joined before decoding, so a multi-byte character split
 * between two chunks (a long Japanese paste on stdin) is not turned into U+FFFD.
 */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
