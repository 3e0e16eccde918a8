/**
 * CI runs the suite on two Node lines (.ci/run); the second (OUTLOOK_TEST_PASS=node-line) runs only the test folders
 * whose outcome can depend on the Node line (vitest.config.ts). Of those, the document readers' file also re-judges
 * its corpus with LibreOffice, poppler and tesseract, whose verdicts do not depend on Node: that is done once per CI
 * run, on the first line, while the readers are still checked against the committed verdicts on both.
 */
export function refereeRejudgesOnThisPass(label: string): boolean {
  if (process.env.OUTLOOK_TEST_PASS !== 'node-line') return true;
  console.log(`[${label}] the referee's re-judging is not repeated on this pass: the first Node line of this CI run did it`);
  return false;
}
