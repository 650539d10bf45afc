import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Every file under `dir`: relative path -> SHA-256 of its bytes. Trees are compared through digests
 * because Jest compares a Buffer byte by byte through its generic equality (about 7 s per MiB); a
 * mismatch still names every file that differs, and `readTree` gives the text where a test needs it.
 */
export function treeDigests(dir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else digests[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return digests;
}

/** A file of a synthesized tree as text. */
export function readTreeFile(dir: string, relative: string): string {
  return fs.readFileSync(path.join(dir, relative), 'utf8');
}
