/** The seed's mail folders and calendars. */
import type { SandboxCalendar, SandboxFolder, SandboxMessage } from '../model.js';
import { folderId, type IdStyle } from './ids.js';
import { PEOPLE } from './people.js';

interface FolderSpec {
  displayName: string;
  /** Exchange's internal folder counter, the last varying part of the id. */
  counter: number;
  parent: FolderKey | 'mailboxRoot';
  wellKnownName?: string;
  idStyle?: IdStyle;
}

/** Key of a folder in the seed. */
export type FolderKey =
  | 'msgfolderroot' | 'inbox' | 'archive' | 'sentitems' | 'drafts' | 'deleteditems' | 'junkemail' | 'outbox'
  | 'clients' | 'fabrikam' | 'receipts';

const FOLDER_SPECS: Record<FolderKey, FolderSpec> = {
  msgfolderroot: { displayName: 'Top of Information Store', counter: 0x0108, parent: 'mailboxRoot', wellKnownName: 'msgfolderroot' },
  inbox: { displayName: 'Inbox', counter: 0x010c, parent: 'msgfolderroot', wellKnownName: 'inbox' },
  drafts: { displayName: 'Drafts', counter: 0x010f, parent: 'msgfolderroot', wellKnownName: 'drafts' },
  sentitems: { displayName: 'Sent Items', counter: 0x0109, parent: 'msgfolderroot', wellKnownName: 'sentitems' },
  deleteditems: { displayName: 'Deleted Items', counter: 0x010a, parent: 'msgfolderroot', wellKnownName: 'deleteditems' },
  outbox: { displayName: 'Outbox', counter: 0x010b, parent: 'msgfolderroot', wellKnownName: 'outbox' },
  junkemail: { displayName: 'Junk Email', counter: 0x0122, parent: 'msgfolderroot', wellKnownName: 'junkemail' },
  archive: { displayName: 'Archive', counter: 0x2c4e, parent: 'msgfolderroot', wellKnownName: 'archive' },
  clients: { displayName: 'Clients', counter: 0x4e9a, parent: 'inbox' },
  fabrikam: { displayName: 'Fabrikam', counter: 0x4e9b, parent: 'clients' },
  // An EWS-style id with '/' and '+', so folder ids in paths must be encoded.
  receipts: { displayName: 'Receipts', counter: 0x4e9c, parent: 'msgfolderroot', idStyle: 'ews' },
};

/** Folder counter by key (item ids embed the folder they were created in). */
export function folderCounter(key: FolderKey): number {
  return FOLDER_SPECS[key].counter;
}

/** Folder id by key. */
export function folderIdOf(key: FolderKey): string {
  const spec = FOLDER_SPECS[key];
  return folderId(spec.counter, spec.idStyle);
}

/** The folders, with child and item counts taken from the messages. */
export function buildFolders(messages: readonly SandboxMessage[]): SandboxFolder[] {
  const keys = Object.keys(FOLDER_SPECS) as FolderKey[];
  return keys.map((key) => {
    const spec = FOLDER_SPECS[key];
    const id = folderIdOf(key);
    const inFolder = messages.filter((m) => m.parentFolderId === id);
    const folder: SandboxFolder = {
      id,
      displayName: spec.displayName,
      parentFolderId: spec.parent === 'mailboxRoot' ? folderId(0x0001) : folderIdOf(spec.parent),
      childFolderCount: keys.filter((k) => FOLDER_SPECS[k].parent === key).length,
      unreadItemCount: inFolder.filter((m) => !m.isRead).length,
      totalItemCount: inFolder.length,
    };
    if (spec.wellKnownName !== undefined) folder.wellKnownName = spec.wellKnownName;
    return folder;
  });
}

/** Key of a calendar in the seed. */
export type CalendarKey = 'calendar' | 'fabrikam' | 'holidays';

const CALENDAR_SPECS: Record<CalendarKey, { name: string; counter: number; color: string; isDefault: boolean; canEdit: boolean; owner: { name: string; address: string } }> = {
  calendar: { name: 'Calendar', counter: 0x010d, color: 'auto', isDefault: true, canEdit: true, owner: PEOPLE.avery },
  fabrikam: { name: 'Project Fabrikam', counter: 0x4ea1, color: 'lightTeal', isDefault: false, canEdit: true, owner: PEOPLE.avery },
  holidays: { name: 'Team holidays', counter: 0x4ea2, color: 'lightOrange', isDefault: false, canEdit: true, owner: PEOPLE.avery },
};

/** Calendar folder counter by key. */
export function calendarCounter(key: CalendarKey): number {
  return CALENDAR_SPECS[key].counter;
}

/** Calendar id by key. */
export function calendarIdOf(key: CalendarKey): string {
  return folderId(CALENDAR_SPECS[key].counter);
}

/** The user's calendars. */
export function buildCalendars(): SandboxCalendar[] {
  return (Object.keys(CALENDAR_SPECS) as CalendarKey[]).map((key) => {
    const spec = CALENDAR_SPECS[key];
    return {
      id: calendarIdOf(key),
      name: spec.name,
      color: spec.color,
      isDefaultCalendar: spec.isDefault,
      canEdit: spec.canEdit,
      owner: { name: spec.owner.name, address: spec.owner.address },
    };
  });
}
