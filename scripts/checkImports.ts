// Fails when the import graph breaks a rule of importRules.ts (a circle, an upward import, a package
// importing one it may not); prints each offending import as `from → to`.
import { fileURLToPath } from 'node:url';
import { checkImports } from './importGraph.ts';
import { importRules } from './importRules.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const violations = checkImports(root, importRules);
for (const v of violations) console.error(`${v.rule}: ${v.message}`);
if (violations.length > 0) {
  console.error(`${violations.length} import rule violation(s); the rules are in scripts/importRules.ts`);
  process.exit(1);
}
console.log('imports: no circle, no upward import, no forbidden package');
