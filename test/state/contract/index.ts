/**
 * Every port's contract suite, for one adapter. An adapter's test file calls
 * {@link stateContract} with a target that opens its stores; the embedded
 * adapter's is `test/state/embedded.test.ts`.
 */
import { approvalLedgerContract } from './approvals.contract.js';
import { pagingCursorsContract } from './cursors.contract.js';
import { deltaLinksContract } from './deltas.contract.js';
import { downloadIndexContract } from './downloads.contract.js';
import { draftRegistryContract } from './drafts.contract.js';
import { mailboxGateContract } from './gate.contract.js';
import { idHandlesContract } from './handles.contract.js';
import type { StateContractTarget } from './target.js';

export type { StateContractTarget } from './target.js';
export { approvalLedgerContract, pagingCursorsContract, deltaLinksContract, downloadIndexContract, draftRegistryContract, mailboxGateContract, idHandlesContract };

/** Runs every port's contract against one adapter. */
export function stateContract(target: StateContractTarget): void {
  approvalLedgerContract(target);
  draftRegistryContract(target);
  idHandlesContract(target);
  pagingCursorsContract(target);
  deltaLinksContract(target);
  downloadIndexContract(target);
  mailboxGateContract(target);
}
