/** `npm run bench`: engine figures, then probe figures (loopback only). */
import { benchClassify } from './classify.js';
import { benchEngine } from './engine.js';
import { benchProbe } from './probe.js';

console.log(`smtp-doctor benchmark — node ${process.version}, ${new Date().toISOString()}`);
await benchClassify();
console.log('');
await benchEngine();
console.log('');
await benchProbe();
await (await import('./adversarial.js')).benchAdversarial();
