// Held-out AUC of the Insights learning core beside scikit-learn's LogisticRegression and
// HistGradientBoostingClassifier on identical train/test rows (one CSV per data set, read by both):
// (a) sklearn's breast cancer set, (b) a 100k-row synthetic lead table with mixed fields and an
// interaction, (c) the same with 200 labelled rows. Needs Debian's python3-sklearn.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import * as ml from '../src/modules/insights/ml/index.ts';
import { reportResult } from './results.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(import.meta.dirname, 'insights-sklearn.py');
const LEAD_TRAIN_ROWS = 100_000;
const LEAD_TEST_ROWS = 25_000;
const SMALL_ROWS = 200;

interface Dataset {
  name: string;
  csv: string;
  features: ml.FeatureSpec[];
  timeField?: string;
  /** True probabilities of the test rows, when the data is synthetic. */
  testProbabilities?: number[];
}

function python(args: string[]): string {
  // One thread, as the TypeScript side has: the comparison is per core.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const run = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (run.status !== 0) {
    throw new Error(
      `${run.stderr}\n(is python3-sklearn installed? apt-get install -y python3-sklearn)`,
    );
  }
  return run.stdout;
}

function toCsvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('|');
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

async function writeCsv(
  file: string,
  rows: ml.SourceRecord[],
  outcomes: boolean[],
  split: string[],
) {
  const keys = Object.keys(rows[0] ?? {});
  const lines = rows.map((row, i) => [
    ...keys.map((k) => toCsvValue(row[k])),
    outcomes[i] ? 1 : 0,
    split[i] ?? '',
  ]);
  await writeFile(file, stringify([[...keys, 'label', 'split'], ...lines]));
}

/** Reads a data set back as both sides see it: strings, tags split on `|`. */
async function readCsv(file: string, features: ml.FeatureSpec[]) {
  const records = parse<Record<string, string>>(await readFile(file, 'utf8'), { columns: true });
  const tagFields = new Set(features.filter((f) => f.kind === 'tags').map((f) => f.name));
  const rows: ml.SourceRecord[] = records.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, tagFields.has(k) ? v.split('|').filter(Boolean) : v]),
    ),
  );
  return { rows, labels: records.map((r) => r.label === '1'), split: records.map((r) => r.split) };
}

/** CPU time of this process since `start`: on a shared machine it is steadier than wall time. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function runOurs(dataset: Dataset) {
  const { rows, labels, split } = await readCsv(dataset.csv, dataset.features);
  const pick = <T>(items: T[], side: string) => items.filter((_, i) => split[i] === side);
  const train = { rows: pick(rows, 'train'), outcomes: pick(labels, 'train') };
  const test = { rows: pick(rows, 'test'), outcomes: pick(labels, 'test') };
  const testLabels = test.outcomes.map(Number);
  const rssBefore = Math.round(process.memoryUsage().rss / 1048576);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const trained = ml.trainModel(
    { ...train, features: dataset.features, timeField: dataset.timeField },
    { trainedAt: new Date().toISOString() },
  );
  const fitSeconds = (performance.now() - started) / 1000;
  const fitCpuSeconds = cpuSecondsSince(cpu);
  if (!trained.ok) throw new Error(trained.error.message);
  const rssAfter = Math.round(process.memoryUsage().rss / 1048576);
  const auc = ml.rocAuc(
    test.rows.map((r) => ml.scoreRecord(trained.value, r).probability),
    testLabels,
  );
  // Each family alone on the same encoding, to compare like with like.
  const encoder = ml.fitEncoder(train.rows, dataset.features);
  const xTrain = ml.encodeRows(encoder, train.rows);
  const xTest = ml.encodeRows(encoder, test.rows);
  const yTrain = Uint8Array.from(train.outcomes, Number);
  const family = (kind: ml.ModelKind) => {
    const t = performance.now();
    const c = process.cpuUsage();
    const model = ml.fitLearner(kind, xTrain, yTrain);
    const fitCpuSeconds = cpuSecondsSince(c);
    const fitSeconds = (performance.now() - t) / 1000;
    return {
      auc: ml.rocAuc(ml.learnerLogOdds(model, xTest), testLabels),
      fitSeconds,
      fitCpuSeconds,
    };
  };
  return {
    trainRows: train.rows.length,
    testRows: test.rows.length,
    cols: xTrain.cols,
    selected: {
      kind: trained.value.kind,
      auc,
      fitSeconds,
      fitCpuSeconds,
      calibration: trained.value.calibration,
    },
    logistic: family('logistic'),
    trees: family('trees'),
    bayesOptimalAuc: dataset.testProbabilities
      ? ml.rocAuc(dataset.testProbabilities, testLabels)
      : null,
    memoryMb: { rssBeforeTraining: rssBefore, rssAfterTraining: rssAfter, peakRss: peakRssMb() },
  };
}

async function breastCancer(dir: string): Promise<Dataset> {
  const raw = path.join(dir, 'breast-cancer-raw.csv');
  python(['export-breast-cancer', raw]);
  const records = parse<Record<string, string>>(await readFile(raw, 'utf8'), { columns: true });
  const outcomes = records.map((r) => r.label === '1');
  const { holdout } = ml.stratifiedSplit(Uint8Array.from(outcomes, Number), 0.3, 7);
  const isTest = new Set(holdout);
  const rows = records.map(({ label: _label, ...features }) => features);
  const csv = path.join(dir, 'breast-cancer.csv');
  await writeCsv(
    csv,
    rows,
    outcomes,
    rows.map((_, i) => (isTest.has(i) ? 'test' : 'train')),
  );
  const features = Object.keys(rows[0] ?? {}).map((name) => ({ name, kind: 'numeric' as const }));
  return { name: 'breast-cancer', csv, features };
}

/** The lead table, split in time: the latest rows are the test rows. */
async function leads(dir: string): Promise<[Dataset, Dataset]> {
  const data = ml.leadData(LEAD_TRAIN_ROWS + LEAD_TEST_ROWS, 2026);
  const times = Float64Array.from(data.rows, (r) => Date.parse(String(r.createdAt)));
  const { train, holdout } = ml.timeOrderedSplit(times, LEAD_TEST_ROWS / data.rows.length);
  const order = [...train, ...holdout];
  const rows = order.map((i) => data.rows[i] ?? {});
  const outcomes = order.map((i) => data.outcomes[i] ?? false);
  const testProbabilities = Array.from(holdout, (i) => data.probabilities[i] ?? 0);
  const split = order.map((_, k) => (k < train.length ? 'train' : 'test'));
  const full = path.join(dir, 'leads.csv');
  await writeCsv(full, rows, outcomes, split);
  // 200 labelled rows drawn at random from the training period; the same test rows.
  const chosen = new Set(
    Array.from(
      ml.stratifiedSplit(
        Uint8Array.from(outcomes.slice(0, train.length), Number),
        SMALL_ROWS / train.length,
        3,
      ).holdout,
    ),
  );
  const keep = order.map((_, k) => k >= train.length || chosen.has(k));
  const small = path.join(dir, 'leads-200.csv');
  await writeCsv(
    small,
    rows.filter((_, k) => keep[k]),
    outcomes.filter((_, k) => keep[k]),
    split.filter((_, k) => keep[k]),
  );
  const base = { features: data.features, timeField: 'createdAt', testProbabilities };
  return [
    { name: 'leads-100k', csv: full, ...base },
    { name: 'leads-200', csv: small, ...base },
  ];
}

function sklearnSpec(dataset: Dataset, reference: string) {
  const used = dataset.features.filter((f) => f.excluded !== true);
  const names = (kind: ml.FeatureKind) => used.filter((f) => f.kind === kind).map((f) => f.name);
  return {
    name: dataset.name,
    csv: dataset.csv,
    trainSplits: ['train'],
    reference,
    numeric: names('numeric'),
    boolean: names('boolean'),
    date: names('date'),
    categorical: names('categorical'),
    tags: names('tags'),
  };
}

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), 'insights-ml-bench-'));
  try {
    const datasets = [await breastCancer(dir), ...(await leads(dir))];
    const ours = [];
    for (const dataset of datasets)
      ours.push({ dataset: dataset.name, ...(await runOurs(dataset)) });
    // The TypeScript encoder's reference time is the latest training date; sklearn gets the same.
    const references = await Promise.all(
      datasets.map(async (d) => {
        const { rows, split } = await readCsv(d.csv, d.features);
        const times = rows
          .filter((_, i) => split[i] === 'train')
          .map((r) => Date.parse(String(r.createdAt)));
        const latest = times.filter(Number.isFinite).reduce((a, b) => Math.max(a, b), 0);
        return new Date(latest).toISOString();
      }),
    );
    const specFile = path.join(dir, 'spec.json');
    await writeFile(
      specFile,
      JSON.stringify({ datasets: datasets.map((d, i) => sklearnSpec(d, references[i] ?? '')) }),
    );
    const sklearn = JSON.parse(python(['evaluate', specFile])) as unknown[];
    const result = {
      at: new Date().toISOString(),
      note: 'shared 2-core machine; both sides single-threaded (OMP_NUM_THREADS=1); same CSV rows',
      ours,
      sklearn,
    };
    await reportResult('insights-ml', result);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
