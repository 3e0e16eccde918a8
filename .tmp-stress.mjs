import { openEmbeddedState } from './dist/state/embedded/store.js';
const [dir, id] = process.argv.slice(2);
const s = openEmbeddedState({ dir, namespace: 'x' });
const t0 = Date.now();
for (let i = 0; i < 200; i++) {
  const jobs = [];
  for (let k = 0; k < 4; k++) jobs.push((async () => {
    let l; while (!(l = await s.gate.tryAcquire('/me', 4, 35000))) await new Promise(r => setTimeout(r, 5));
    await s.handles.handlesFor(['AAMk' + id + '-' + i + '-' + k]);
    await s.gate.release(l);
  })());
  await Promise.all(jobs);
  if (i % 50 === 0) console.log(id, i, Date.now() - t0);
}
await s.close();
console.log(id, 'done', Date.now() - t0);
