/**
 * Lets token-store tests run our TypeScript in plain `node` child processes
 * (Node 20 cannot strip types): an entry file and everything it imports
 * relatively is transpiled once per test file into `.tmp/` inside the repo,
 * where bare imports still resolve to the project's node_modules. The source
 * already imports `./x.js`, so the output runs as is.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT_RE = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/** Transpiles `entry` (a repo path) and its relative imports; returns the JS path to run and a cleanup function. */
export function transpileEntry(entry: string): { script: string; cleanup: () => void } {
  mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
  const outRoot = mkdtempSync(path.join(REPO, '.tmp', 'token-store-children-'));
  const pending = [path.resolve(REPO, entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const out = path.join(outRoot, path.relative(REPO, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    for (const m of outputText.matchAll(IMPORT_RE)) pending.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
  }
  return {
    script: path.join(outRoot, path.relative(REPO, path.resolve(REPO, entry))).replace(/\.ts$/, '.js'),
    cleanup: () => rmSync(outRoot, { recursive: true, force: true }),
  };
}

/** Runs `node script ...args`, rejecting with its stderr when it fails. */
export function runNode(script: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { timeout: timeoutMs, env }, (err, stdout, stderr) =>
      err ? reject(new Error(`${path.basename(script)} ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}
