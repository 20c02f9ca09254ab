// Writes the snapshots render.sh audits besides the bundled example:
//   out/hostile-snapshot.json  the example with fixtures/hostile-names.json applied
//                              (replace ops, as the Rust tests apply them);
//   out/empty-snapshot.json    the example with every resource list emptied:
//                              nothing to draw, so no diagram may be written.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const reference = () =>
  JSON.parse(readFileSync(join(root, 'fixtures', 'reference', 'snapshot.json'), 'utf8'));
mkdirSync(join(here, 'out'), { recursive: true });

const hostile = reference();
const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'hostile-names.json'), 'utf8'));
for (const op of fixture.patch) {
  if (op.op !== 'replace') throw new Error(`only replace ops are supported, found ${op.op}`);
  const keys = op.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop();
  let parent = hostile;
  for (const key of keys) parent = parent[key];
  if (parent === undefined || !(last in parent)) throw new Error(`nothing to replace at ${op.path}`);
  parent[last] = op.value;
}
writeFileSync(join(here, 'out', 'hostile-snapshot.json'), JSON.stringify(hostile, null, 1));

const empty = reference();
const clear = (object) => {
  for (const [key, value] of Object.entries(object)) {
    if (Array.isArray(value)) object[key] = [];
  }
};
for (const region of Object.values(empty.regions)) clear(region);
clear(empty.global);
writeFileSync(join(here, 'out', 'empty-snapshot.json'), JSON.stringify(empty, null, 1));
console.log('fixtures written');
