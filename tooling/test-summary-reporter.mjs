// A node:test reporter that writes only the final counts, as JSON, for tooling/run-tests.ts.
// Plain JavaScript: Node 20 loads reporters before any TypeScript loader is registered.
/** @param {AsyncIterable<import('node:test/reporters').TestEvent>} source */
export default async function* testSummaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details.type === 'suite') continue;
    if (event.type === 'test:fail') counts.failed += 1;
    else if (event.data.skip !== undefined || event.data.todo !== undefined) counts.skipped += 1;
    else counts.passed += 1;
  }
  yield JSON.stringify(counts);
}
