/**
 * CI runs the suite on two Node lines (.ci/run). A few files measure corpora with programs that are not Node
 * (Chromium's pixels, LibreOffice, poppler, tesseract) and take minutes: they run once per CI run, on the first line.
 * The second line (OUTLOOK_TEST_PASS=node-line) still runs every test of our own code on those corpora that is cheap
 * (the readers against the committed verdicts, the builtin engine's gate) and the browser renderer's own tests.
 */
export function onFirstNodeLineOnly(label: string, what: string): boolean {
  if (process.env.OUTLOOK_TEST_PASS !== 'node-line') return true;
  console.log(`[${label}] ${what}: not repeated on this pass; the first Node line of this CI run did it`);
  return false;
}

/** The referees re-judge their corpora to the committed verdicts once per CI run. */
export function refereeRejudgesOnThisPass(label: string): boolean {
  return onFirstNodeLineOnly(label, 'the referee re-judging the corpus');
}
