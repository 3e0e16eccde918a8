/**
 * Response bodies from Microsoft Graph's v1.0 API reference, retyped (abridged
 * to the fields our tools read; values unchanged) so that the product can be
 * replayed against what Microsoft documents Graph to send.
 */

/**
 * learn.microsoft.com/graph/api/event-get?view=graph-rest-1.0, "Request 1 /
 * Response 1": asked with `Prefer: outlook.timezone="Pacific Standard Time"`,
 * answered with `Preference-Applied: outlook.timezone="Pacific Standard Time"`
 * and yet the times are labelled UTC. 17:00 UTC is 09:00 in Los Angeles.
 */
export const EVENT_GET_RESPONSE_1 = {
  headers: { 'Preference-Applied': 'outlook.timezone="Pacific Standard Time"' },
  body: {
    '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('48d31887-5fad-4d73-a9f5-3c356e68a038')/events(subject,body,bodyPreview,organizer,attendees,start,end,location,hideAttendees)/$entity",
    '@odata.etag': 'W/"IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNQ=="',
    id: 'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAENAAAiIsqMbYjsT5e-T7KzowPTAAAa_WKzAAA=',
    subject: 'New Product Regulations Touchpoint',
    bodyPreview: 'New Product Regulations Strategy Online Touchpoint Meeting',
    hideAttendees: false,
    body: { contentType: 'html', content: '<html><body>New Product Regulations Strategy Online Touchpoint Meeting</body></html>' },
    start: { dateTime: '2014-11-03T17:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2014-11-03T17:30:00.0000000', timeZone: 'UTC' },
    location: { displayName: 'Conf Room Rainier', locationType: 'default', uniqueId: 'Conf Room Rainier', uniqueIdType: 'private' },
    attendees: [
      { type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Engineering', address: 'engineering@M365x214355.onmicrosoft.com' } },
      { type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Irvin Sayers', address: 'IrvinS@M365x214355.onmicrosoft.com' } },
    ],
    organizer: { emailAddress: { name: 'Engineering', address: 'engineering@M365x214355.onmicrosoft.com' } },
  },
};

const PST = 'Pacific Standard Time';
const pst = (dateTime: string) => ({ dateTime, timeZone: PST });

/**
 * learn.microsoft.com/graph/api/calendar-getschedule?view=graph-rest-1.0,
 * "Example": asked with `Prefer: outlook.timezone="Pacific Standard Time"` for
 * 2019-03-15 09:00–18:00 Pacific; every item is in Pacific time, and Megan's
 * working hours are a customTimeZone (bias 480, DST from the 2nd Sunday of March).
 */
export const GET_SCHEDULE_RESPONSE = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
  value: [
    {
      scheduleId: 'adelev@contoso.onmicrosoft.com',
      availabilityView: '000220000',
      scheduleItems: [{ isPrivate: false, status: 'busy', subject: "Let's go for lunch", location: "Harry's Bar", start: pst('2019-03-15T12:00:00.0000000'), end: pst('2019-03-15T14:00:00.0000000') }],
      workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: PST } },
    },
    {
      scheduleId: 'meganb@contoso.onmicrosoft.com',
      availabilityView: '200220010',
      scheduleItems: [
        { status: 'busy', start: pst('2019-03-15T08:30:00.0000000'), end: pst('2019-03-15T09:30:00.0000000') },
        { status: 'busy', start: pst('2019-03-15T12:00:00.0000000'), end: pst('2019-03-15T14:00:00.0000000') },
        { status: 'tentative', start: pst('2019-03-15T12:00:00.0000000'), end: pst('2019-03-15T13:00:00.0000000') },
        { status: 'busy', start: pst('2019-03-15T13:00:00.0000000'), end: pst('2019-03-15T14:00:00.0000000') },
        { status: 'tentative', start: pst('2019-03-15T16:00:00.0000000'), end: pst('2019-03-15T17:00:00.0000000') },
      ],
      workingHours: {
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        startTime: '08:00:00.0000000',
        endTime: '17:00:00.0000000',
        timeZone: {
          '@odata.type': '#microsoft.graph.customTimeZone',
          bias: 480,
          name: 'Customized Time Zone',
          standardOffset: { time: '02:00:00.0000000', dayOccurrence: 1, dayOfWeek: 'sunday', month: 11, year: 0 },
          daylightOffset: { daylightBias: -60, time: '02:00:00.0000000', dayOccurrence: 2, dayOfWeek: 'sunday', month: 3, year: 0 },
        },
      },
    },
  ],
};
