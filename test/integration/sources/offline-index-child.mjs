// One scan's database phase in a process of its own, for offline-index-processes.test.ts: answers
// `Debian:12` queries for the names given from `--db osv-offline:DB` with the index kept in CACHE,
// and prints the record ids per name and the debug notes as JSON.
// Usage: node --experimental-transform-types offline-index-child.mjs DB CACHE NAME...
import { register } from 'node:module';

// The sources import each other as `./x.js`; here they are run from their `.ts` files.
const hooks = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (/^\\.{1,2}\\//.test(specifier) && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
const { OsvOfflineSource } = await import(new URL('../../../shared/vuln/osv-offline.ts', import.meta.url).href);

const [db, cacheDir, ...names] = process.argv.slice(2);
const notes = [];
const source = new OsvOfflineSource(db, { cacheDir, debug: (note) => notes.push(note) });
const answer = await source.query(names.map((name) => ({ ecosystem: 'Debian:12', name, version: '1.0-1' })));
process.stdout.write(JSON.stringify({ ids: answer.map((records) => records.map((r) => r.id)), notes }));
