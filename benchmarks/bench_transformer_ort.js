// ONNX Runtime peer of bench_transformer (issue 14), through the npm package
// onnxruntime-node (its libonnxruntime.so, CPU execution provider).
//   node bench_transformer_ort.js MODEL.onnx IDS.json THREADS REPEATS
// IDS.json: {"query": [[ids]], "batch": [[ids], ...]} as bench_transformer
// writes it. Each input set is one session.run (the batch padded to its
// longest text with an attention mask, as a caller of ONNX Runtime does);
// prints {"query": [seconds, ...], "batch": [...]}, one time per repeat,
// after one warm-up run each.
'use strict';
const ort = require('onnxruntime-node');
const fs = require('fs');

async function main() {
  const [model, idsFile, threads, repeats] = process.argv.slice(2);
  const sets = JSON.parse(fs.readFileSync(idsFile, 'utf8'));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all'});
  const out = {};
  for (const name of ['query', 'batch']) {
    const texts = sets[name];
    const n = Math.max(...texts.map(t => t.length));
    const ids = new BigInt64Array(texts.length * n);
    const mask = new BigInt64Array(texts.length * n);
    texts.forEach((t, i) => t.forEach((id, j) => {
      ids[i * n + j] = BigInt(id);
      mask[i * n + j] = 1n;
    }));
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [texts.length, n]),
      attention_mask: new ort.Tensor('int64', mask, [texts.length, n]),
    };
    await session.run(feeds);
    const times = [];
    for (let r = 0; r < Number(repeats); ++r) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    out[name] = times;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
main().catch(e => { process.stderr.write(String(e) + '\n'); process.exit(1); });
