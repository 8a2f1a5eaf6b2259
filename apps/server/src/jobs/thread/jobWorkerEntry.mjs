// Worker threads do not inherit the TypeScript loader reliably on Node 20: register tsx here, then load the
// real worker.
import { register } from 'tsx/esm/api';

register();
await import('./jobWorker.ts');
