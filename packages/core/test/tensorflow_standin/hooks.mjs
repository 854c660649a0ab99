// Node module-resolution hooks for the tensorflow stand-in test: `STANDIN_PACKAGES` (comma-separated,
// e.g. "@tensorflow/tfjs-node") lists the packages that resolve to the stand-in modules of this
// folder; every other specifier, including the absent tfjs-node packages, resolves as usual.
import { register } from 'node:module';

register(new URL('./resolve.mjs', import.meta.url), { data: { packages: (process.env.STANDIN_PACKAGES ?? '').split(',').filter(Boolean) } });
