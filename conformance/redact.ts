// Secret handling: API keys and webhook secrets never appear in full in output or reports.
// `redact` masks one value (first 8 characters + "…"); `SecretRing` remembers every secret the
// run knows or learns and scrubs them from any text (messages, curl lines, bodies).
// Limits: only exact occurrences are scrubbed; a secret split across lines or encoded
// (base64, URL-encoded) is not recognised.

export function redact(secret: string): string {
  return secret.length <= 8 ? '…' : `${secret.slice(0, 8)}…`;
}

export class SecretRing {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values cannot be scrubbed without mangling ordinary text.
    if (secret && secret.length >= 12) this.secrets.add(secret);
  }

  has(secret: string): boolean {
    return this.secrets.has(secret);
  }

  /** Replace every known secret in `text` with its redacted form. */
  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(redact(s));
    }
    return out;
  }
}
