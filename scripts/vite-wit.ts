// Parses WIT when the code is built: `import world from './x.wit?world'` gives the parsed world
// (src/shared/wit/model.ts, plain data) instead of the text. A plugin worker used to parse
// wit/plugin.wit at every start, 2-9 ms on the start's critical path (the bench's warm starts).
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { parseWorld } from '../src/shared/wit/parse.ts';

const QUERY = '?world';

export function witWorld(): Plugin {
  return {
    name: 'playground-wit-world',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith(`.wit${QUERY}`)) return null;
      const path = id.slice(0, -QUERY.length);
      this.addWatchFile(path);
      // V8 reads a JSON string faster than the same object as a literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(parseWorld(readFileSync(path, 'utf8'))))});`;
    },
  };
}
