import * as fs from 'fs';
import * as path from 'path';

/**
 * The README is the front door and docs/ holds the manual by topic. These tests keep it that way:
 * the README stays short, every docs page is reachable from it, and no relative link (or its anchor)
 * points at something that was moved or renamed.
 */
const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');
const MAX_README_LINES = 300;

interface Link {
  /** The file the link is in. */
  from: string;
  line: number;
  target: string;
}

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/**
 * Inline and reference links outside code fences. Code spans are neutralized first, so that
 * `[x](y)` written as code is not a link, while a link whose text is code still is.
 */
function linksIn(from: string, text: string): Link[] {
  const links: Link[] = [];
  let fence = false;
  text.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fence = !fence;
      return;
    }
    if (fence) return;
    const line = raw.replace(/`[^`]*`/g, (code) => code.replace(/[[\]()]/g, '_'));
    for (const m of line.matchAll(/\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ from, line: i + 1, target: m[1] });
    }
    const ref = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (ref) links.push({ from, line: i + 1, target: ref[1] });
  });
  return links;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Where a relative link resolves to, or undefined for an external one. */
function resolve(link: Link): { file: string; anchor?: string } | undefined {
  if (isExternal(link.target)) return undefined;
  const [p, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const file = p === '' ? link.from : path.resolve(path.dirname(link.from), decodeURIComponent(p));
  return { file, anchor };
}

/**
 * Problems with the relative links of some markdown files, one line each. `read` returns a file's
 * text, or undefined when it does not exist (a parameter, so the tests can prove it fails).
 */
function brokenLinks(files: string[], read: (file: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const from of files) {
    const text = read(from);
    if (text === undefined) {
      problems.push(`${path.relative(ROOT, from)}: missing`);
      continue;
    }
    for (const link of linksIn(from, text)) {
      const target = resolve(link);
      if (!target) continue;
      const where = `${path.relative(ROOT, from)}:${link.line}: ${link.target}`;
      const content = read(target.file);
      if (content === undefined) {
        problems.push(`${where}: no such file`);
      } else if (target.anchor && target.file.endsWith('.md') && !anchorsOf(content).has(target.anchor)) {
        problems.push(`${where}: no heading with this anchor`);
      }
    }
  }
  return problems;
}

/** Docs files that the README does not link to. */
function unlinkedDocs(readmeText: string, docsFiles: string[]): string[] {
  const linked = new Set(linksIn(README, readmeText).map(resolve).filter((t) => t !== undefined).map((t) => t.file));
  return docsFiles.filter((f) => !linked.has(f)).map((f) => path.relative(ROOT, f));
}

const readFile = (file: string): string | undefined => {
  try {
    return fs.statSync(file).isDirectory() ? '' : fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

describe('README and docs/', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const docsFiles = filesUnder(DOCS);
  const markdown = [README, ...docsFiles.filter((f) => f.endsWith('.md'))];

  it(`README.md has at most ${MAX_README_LINES} lines (details go into docs/)`, () => {
    expect(lineCount(readme)).toBeLessThanOrEqual(MAX_README_LINES);
  });

  it('links every file under docs/ from README.md', () => {
    expect(docsFiles.length).toBeGreaterThan(0);
    expect(unlinkedDocs(readme, docsFiles)).toEqual([]);
  });

  it('has no relative link in README.md or docs/*.md to a missing file or heading', () => {
    // A check that found no link at all would prove nothing.
    expect(markdown.flatMap((f) => linksIn(f, readFile(f) ?? '')).filter((l) => !isExternal(l.target)).length).toBeGreaterThan(20);
    expect(brokenLinks(markdown, readFile)).toEqual([]);
  });
});

describe('the checks themselves fail when they should', () => {
  const at = (name: string) => path.join(ROOT, name);
  const files: Record<string, string> = {
    [at('README.md')]: [
      '# Title',
      'See [security](docs/security.md#who-can-do-what-to-the-backups) and [gone](docs/gone.md).',
      'A [bad anchor](docs/security.md#no-such-heading), [local](#title), [web](https://example.com).',
      'Code is not a link: `[x](nowhere.md)`; a link with code text is: [`help`](help).',
      '```sh',
      'echo "[x](also-nowhere.md)"',
      '```',
      '[ref]: docs/missing-ref.md',
    ].join('\n'),
    [at('docs/security.md')]: '# Security\n\n## Who can do what to the backups\n',
    [at('help')]: 'commands\n',
  };
  const read = (f: string) => files[f];

  it('reports a missing file, a missing anchor and a bad reference link, and nothing else', () => {
    expect(brokenLinks([at('README.md')], read)).toEqual([
      'README.md:2: docs/gone.md: no such file',
      'README.md:3: docs/security.md#no-such-heading: no heading with this anchor',
      'README.md:8: docs/missing-ref.md: no such file',
    ]);
  });

  it('reports a docs page the README does not link to', () => {
    expect(unlinkedDocs(files[at('README.md')], [at('docs/security.md'), at('docs/orphan.md')])).toEqual(['docs/orphan.md']);
  });

  it('counts the lines of a README that is one line too long', () => {
    expect(lineCount(`${'line\n'.repeat(MAX_README_LINES + 1)}`)).toBe(MAX_README_LINES + 1);
  });

  it('derives anchors as GitHub does', () => {
    expect([...anchorsOf('# How `cdktf synth` runs the app\n## Landing zone (only when a workload lists `servers`)\n## A\n## A\n')]).toEqual([
      'how-cdktf-synth-runs-the-app',
      'landing-zone-only-when-a-workload-lists-servers',
      'a',
      'a-1',
    ]);
  });
});
