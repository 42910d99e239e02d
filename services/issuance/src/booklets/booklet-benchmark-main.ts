import { measureBookletRendering } from './booklet-benchmark';

// Usage: tsx services/issuance/src/booklets/booklet-benchmark-main.ts [passes] [workers]
const passes = Number(process.argv[2] ?? 2000);
const workers = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const result = await measureBookletRendering({ passes, workers });
console.log(
  `${result.passes} passes (${result.booklets} booklets) with ${result.workers} worker(s): ${result.seconds} s, ` +
    `${result.passesPerSecond} passes/s, peak RSS ${result.rssMb} MB, CPU ${result.cpuSeconds} s, ` +
    `PDF ${result.pdfMb} MB`,
);
console.log(JSON.stringify({ booklet_passes_per_s: result.passesPerSecond, ...result }));
