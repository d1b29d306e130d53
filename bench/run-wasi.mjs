// SPDX-License-Identifier: MIT
// The node runner of `make bench`: runs a wasm32-wasi module under V8 through node:wasi.
// usage: node run-wasi.mjs module.wasm [args...]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env, exit } from 'node:process';

const [, , path, ...args] = argv;
if (!path) {
	console.error('usage: node run-wasi.mjs module.wasm [args...]');
	exit(2);
}
const wasi = new WASI({
	version: 'preview1',
	args: [path, ...args],
	env,
	returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
