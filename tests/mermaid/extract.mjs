// Extracts the ```mermaid blocks of drguard's Markdown reports into
// out/diagrams.js (window.DIAGRAMS) for render.html. Arguments are
// `FILE=COUNT`: the number of diagrams FILE must hold; a different count,
// an empty block or an unclosed fence is an error (exit 1).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const diagrams = [];
let failed = false;
for (const argument of process.argv.slice(2)) {
  const at = argument.lastIndexOf('=');
  const file = argument.slice(0, at);
  const expected = Number(argument.slice(at + 1));
  const lines = readFileSync(file, 'utf8').split('\n');
  let block = null;
  let found = 0;
  for (const [number, line] of lines.entries()) {
    if (block === null && line.trim() === '```mermaid') {
      block = { start: number + 1, lines: [] };
    } else if (block !== null && line.trim() === '```') {
      const text = block.lines.join('\n');
      const kind = (text.trim().split(/\s+/)[0] || '').toLowerCase();
      if (text.trim() === '') {
        console.error(`${file}:${block.start}: empty mermaid block`);
        failed = true;
      }
      diagrams.push({ source: `${basename(file)}:${block.start}`, kind, text });
      found += 1;
      block = null;
    } else if (block !== null) {
      block.lines.push(line);
    }
  }
  if (block !== null) {
    console.error(`${file}:${block.start}: mermaid block never closed`);
    failed = true;
  }
  if (found !== expected) {
    console.error(`${file}: ${found} mermaid block(s), expected ${expected}`);
    failed = true;
  }
}
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out', 'diagrams.js'), `window.DIAGRAMS = ${JSON.stringify(diagrams, null, 1)};\n`);
console.log(`${diagrams.length} diagram(s) extracted`);
process.exit(failed ? 1 : 0);
