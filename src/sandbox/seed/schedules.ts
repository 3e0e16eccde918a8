/**
 * What the demo user can see of colleagues: their free/busy (getSchedule)
 * and the people ranking (`/me/people`). Anna's Friday is laid out so that
 * the seed's scheduling example has one right answer: with her, an hour is
 * free at 10:00, from 13:00 to 14:30 and after 16:00.
 */
import type { SandboxPerson, SandboxSchedule, WorkingHours } from '../model.js';
import { isoUtc, type SeedClock } from './clock.js';
import { guid } from './ids.js';
import { PEOPLE, type PersonKey } from './people.js';
import { wallClockToUtc } from '../timezones.js';

const OFFICE_HOURS: WorkingHours = {
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  startTime: '09:00:00.0000000',
  endTime: '17:00:00.0000000',
  timeZone: { name: 'W. Europe Standard Time' },
};

function block(clock: SeedClock, day: number, from: string, to: string, status: SandboxSchedule['items'][number]['status'], subject?: string): SandboxSchedule['items'][number] {
  const date = clock.weekDate(day);
  const at = (t: string) => isoUtc(wallClockToUtc({ dateTime: `${date}T${t}:00.0000000`, timeZone: 'W. Europe Standard Time' }));
  return { start: at(from), end: at(to), status, ...(subject ? { subject } : {}) };
}

/** Colleagues' calendars as getSchedule sees them. */
export function buildSchedules(clock: SeedClock): SandboxSchedule[] {
  const friday = clock.proposalDay;
  return [
    {
      // Anna shares free/busy only: Graph gives status and times, no subjects.
      address: PEOPLE.anna.address,
      workingHours: OFFICE_HOURS,
      detail: 'freeBusy',
      items: [
        block(clock, friday, '09:00', '10:00', 'busy'),
        block(clock, friday, '12:00', '13:00', 'busy'),
        block(clock, friday, '14:30', '15:30', 'busy'),
        block(clock, friday, '15:30', '16:00', 'tentative'),
        block(clock, friday + 3, '09:00', '17:00', 'oof'),
      ],
    },
    {
      // Lukas shares limited details (subject and location).
      address: PEOPLE.lukas.address,
      workingHours: { ...OFFICE_HOURS, startTime: '08:00:00.0000000', endTime: '16:00:00.0000000' },
      detail: 'limited',
      items: [block(clock, friday, '13:00', '14:00', 'busy', 'Hamburg rack planning')],
    },
  ];
}

const RANKED: ReadonlyArray<readonly [PersonKey, number, SandboxPerson['personType']['subclass'], string?]> = [
  ['jordan', 98, 'OrganizationUser', 'Engagement Manager'],
  ['marcus', 91, 'ImplicitContact'],
  ['meilin', 88, 'OrganizationUser', 'Senior Consultant'],
  ['anna', 86, 'OrganizationUser', 'Account Manager'],
  ['lukas', 80, 'OrganizationUser', 'Data Engineer'],
  ['greta', 77, 'ImplicitContact'],
  ['tomas', 70, 'OrganizationUser', 'Cloud Architect'],
  ['daniel', 64, 'ImplicitContact'],
  ['priya', 60, 'OrganizationUser', 'Delivery Lead'],
  ['sofia', 52, 'OrganizationUser', 'Finance & Billing'],
  ['aisha', 48, 'ImplicitContact'],
  ['hannah', 45, 'OrganizationUser', 'People & Culture'],
  ['chloe', 40, 'PersonalContact'],
  ['ravi', 38, 'ImplicitContact'],
  ['yuki', 35, 'ImplicitContact'],
  ['olivia', 30, 'PersonalContact'],
  ['ben', 20, 'ImplicitContact'],
];

/** The people ranking, most relevant first. */
export function buildPeople(): SandboxPerson[] {
  return RANKED.map(([key, score, subclass, jobTitle]) => {
    const p = PEOPLE[key];
    const [givenName, ...rest] = p.name.split(' ');
    const company = p.address.endsWith('@contoso.example') ? 'Contoso Consulting GmbH' : p.signature[1]?.split(/[,|]/)[0]?.trim();
    return {
      id: guid(`person:${key}`),
      displayName: p.name,
      givenName,
      surname: rest.join(' '),
      ...(jobTitle ? { jobTitle } : {}),
      ...(company ? { companyName: company } : {}),
      scoredEmailAddresses: [{ address: p.address, relevanceScore: score }],
      personType: { class: 'Person' as const, subclass },
    };
  });
}
