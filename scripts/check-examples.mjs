// Every function, class and constant a package exports carries JSDoc with an
// `@example` (the style rule for public entry points). The schema constants of
// `@tootstream/core/schemas` are data, documented by one line each; the module's
// entry objects (`essentialSchemas`, `fullSchemas`) need examples like the rest.
import ts from 'typescript';

const entries = ['packages/core/src/index.ts', 'packages/listener/src/index.ts', 'packages/testkit/src/index.ts', 'packages/core/src/schemas.ts'];
const isSchemaData = (file, name) => file.endsWith('schemas.ts') && name.endsWith('Schema');

const program = ts.createProgram(entries, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true });
const checker = program.getTypeChecker();
const missing = [];
for (const file of entries) {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable))) continue;
    if (isSchemaData(file, exported.name)) continue;
    if (!symbol.getJsDocTags(checker).some((tag) => tag.name === 'example')) missing.push(`${file}: ${exported.name}`);
  }
}
if (missing.length > 0) {
  console.error(`check-examples: ${missing.length} public entry point(s) without an @example in their JSDoc:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-examples: every exported function, class and constant of ${entries.length} entry modules has an @example`);
