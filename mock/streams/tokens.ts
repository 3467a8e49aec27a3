// Splits a completion into token-sized pieces for `delta` events. The pieces concatenate exactly to
// the input (whitespace is kept, attached to the word before it). Limits: "token-sized" is an
// approximation (words, long words cut every 16 characters), not a real model tokenizer.

const PIECE = /\s+|\S{1,16}\s*/gu;

export function splitIntoTokens(text: string): string[] {
  return text.match(PIECE) ?? [];
}
