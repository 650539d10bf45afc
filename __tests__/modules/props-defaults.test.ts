import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Constructs document their props as aws-cdk-lib does: an optional prop says, with @default, what
// happens without it, so that a reader of the props never has to read the constructor to find out.

const MODULES = path.join(__dirname, '..', '..', 'modules');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** `file:Interface.prop` of every optional member, at any depth, of an exported `*Props` interface without an @default tag. */
function optionalPropsWithoutDefault(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visitMembers = (owner: string, members: ts.NodeArray<ts.TypeElement>) => {
    for (const member of members) {
      if (!ts.isPropertySignature(member)) continue;
      const name = member.name.getText(source);
      if (member.questionToken && !ts.getJSDocTags(member).some((t) => t.tagName.text === 'default')) found.push(`${path.relative(MODULES, file)}:${owner}.${name}`);
      if (member.type && ts.isTypeLiteralNode(member.type)) visitMembers(`${owner}.${name}`, member.type.members);
    }
  };
  source.forEachChild((node) => {
    const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isInterfaceDeclaration(node) && node.name.text.endsWith('Props')) visitMembers(node.name.text, node.members);
  });
  return found;
}

describe('construct props', () => {
  const files = sourceFiles(MODULES);

  it('finds the constructs (the walk reads modules/ and its subfolders)', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.includes(`${path.sep}recovery${path.sep}`))).toBe(true);
  });

  it('document the default of every optional prop with @default', () => {
    expect(files.flatMap((f) => optionalPropsWithoutDefault(f, fs.readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the check reports an optional prop without @default, nested ones included', () => {
    const text = [
      'export interface ThingProps {',
      '  /** @default 3 */ readonly a?: number;',
      '  /** Says nothing of its default. */ readonly b?: string;',
      '  readonly c: {',
      '    /** @default none */',
      '    readonly d?: string;',
      '    readonly e?: string;',
      '  };',
      '}',
      'interface NotExportedProps { readonly f?: string }',
    ].join('\n');
    expect(optionalPropsWithoutDefault(path.join(MODULES, 'thing.ts'), text)).toEqual(['thing.ts:ThingProps.b', 'thing.ts:ThingProps.c.e']);
  });
});
