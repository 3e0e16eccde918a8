/** Every route the sandbox serves below `/v1.0/me` (or `/v1.0/users/{id}`). */
import { calendarReadRoutes } from './calendar-routes.js';
import { deltaRoutes } from './delta-routes.js';
import { eventWriteRoutes } from './event-write-routes.js';
import { folderRoutes } from './folder-routes.js';
import { mailReadRoutes } from './mail-routes.js';
import { mailWriteRoutes } from './mail-write-routes.js';
import type { Route } from './router.js';
import { peopleRoutes } from './people-routes.js';
import { scheduleRoutes } from './schedule-routes.js';
import { uploadRoutes } from './upload-routes.js';
import { userRoutes } from './user-routes.js';

/** The full route table; extend by adding a module's table here. */
export const ROUTES: readonly Route[] = [...userRoutes, ...folderRoutes, ...mailReadRoutes, ...mailWriteRoutes, ...calendarReadRoutes, ...eventWriteRoutes, ...scheduleRoutes, ...peopleRoutes, ...deltaRoutes, ...uploadRoutes];
