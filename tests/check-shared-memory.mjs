// Fails unless the given .wasm file imports a *shared* memory. Since nightly-2025-10-03,
// `+atomics` no longer implies shared memory: without the link args in .cargo/config.toml the
// build succeeds but is silently not threaded. Usage: node check-shared-memory.mjs file.wasm
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const module = new WebAssembly.Module(readFileSync(file));
const memories = WebAssembly.Module.imports(module).filter((i) => i.kind === 'memory');
if (memories.length !== 1) {
  console.error(`${file}: expected one imported memory, found ${memories.length}`);
  process.exit(1);
}

// The JS API does not expose the limits' flags, so read the import section directly.
const bytes = readFileSync(file);
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[pos++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return result >>> 0;
};
const skipName = () => { const n = u32(); pos += n; };
let shared = null;
while (pos < bytes.length && shared === null) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    for (let n = u32(); n > 0; n--) {
      skipName(); skipName();
      const kind = bytes[pos++];
      if (kind === 0x00) u32(); // function: type index
      else if (kind === 0x01) { pos++; const f = u32(); u32(); if (f & 1) u32(); } // table
      else if (kind === 0x02) { const flags = u32(); shared = (flags & 0x02) !== 0; break; }
      else if (kind === 0x03) { pos += 2; } // global: valtype, mut (valtype may be multi-byte for refs; fine for mvp types)
      else if (kind === 0x04) { pos++; u32(); } // tag
    }
  }
  pos = end;
}
if (!shared) {
  console.error(`${file}: the imported memory is NOT shared; the build is not threaded`);
  process.exit(1);
}
console.log(`${file}: imports a shared memory (threads OK)`);
