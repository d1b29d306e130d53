// SPDX-License-Identifier: MIT
// A stand-in for `wasm-bpf run` built on Node's WASI, used only to check the
// test programs themselves: WASI_CLI="node tests/wasi/node-run.mjs" run.sh ...
// It is not a reference for confinement (Node's WASI is not a sandbox).
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
if (argv[0] === 'run')
	argv.shift();
const preopens = {};
const env = {};
while (argv.length && argv[0].startsWith('--')) {
	const opt = argv.shift();
	const val = argv.shift();
	if (opt === '--dir') {
		const [host, guest] = val.split('::');
		preopens[guest ?? host] = host;
	} else if (opt === '--env') {
		const i = val.indexOf('=');
		env[val.slice(0, i)] = val.slice(i + 1);
	} else {
		console.error(`node-run: unknown option ${opt}`);
		process.exit(2);
	}
}
const file = argv[0];
const wasi = new WASI({ version: 'preview1', args: argv, env, preopens,
			returnOnExit: true });
try {
	const mod = await WebAssembly.compile(readFileSync(file));
	const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
	process.exitCode = wasi.start(inst);
} catch (e) {
	console.error(`node-run: trap: ${e.message}`);
	process.exitCode = 1;
}
