/** The shape of one row of the seed's message tables. */
import type { AttachmentFile } from './attachments.js';
import type { Block, BodyParts, QuoteStyle } from './bodies.js';
import type { Moment } from './clock.js';
import type { FolderKey } from './folders.js';
import type { IdStyle } from './ids.js';
import type { PersonKey } from './people.js';

export interface MessageSpec {
  /** Stable key: the id is derived from it, so ids do not depend on `now`. */
  key: string;
  folder: FolderKey;
  from: PersonKey;
  to: readonly PersonKey[];
  cc?: readonly PersonKey[];
  at: Moment;
  /** For replies, leave empty to get `RE: <subject of the quoted message>`. */
  subject?: string;
  /** `outlook`/`gmail`: authored in that client, with signature; `automated`: blocks as they stand; `text`: plain-text body with signature. */
  client: 'outlook' | 'gmail' | 'automated' | 'text';
  blocks?: readonly Block[];
  /** Ready-made body (newsletters, the injection message); overrides blocks. */
  body?: BodyParts;
  /** Thread this message belongs to (defaults to its own key). */
  thread?: string;
  /** Key of the message this one replies to, and how it quotes it (`none`: in the thread but unquoted). */
  replyTo?: string;
  quote?: QuoteStyle | 'none';
  unread?: boolean;
  flag?: 'flagged' | 'complete';
  importance?: 'low' | 'high';
  categories?: readonly string[];
  /** Built on demand, so that large files cost nothing until the seed is created. */
  attachments?: () => AttachmentFile[];
  draft?: boolean;
  idStyle?: IdStyle;
}
