import type { ObjectDefinition } from '../../platform/objects/index.js';
import {
  ACTIVITY_FIELDS,
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  updateActivity,
} from './activities.js';
import { NAMED_LINKS } from './activity-links.js';
import { activityCreateBody, activitySchema, activityUpdateBody } from './http-schemas.js';

const PEOPLE = { ownerId: 'user' } as const;

/** Activities in the object registry: the calls, emails, meetings, notes and tasks on any record. */
export const RECORDS_OBJECTS: readonly ObjectDefinition[] = [
  {
    key: 'activity',
    lifecycle: {
      get: getActivity,
      create: createActivity,
      update: updateActivity,
      delete: deleteActivity,
      list: listActivities,
      ownerField: 'assigneeId',
    },
    resource: 'activities',
    labels: { singular: 'Activity', plural: 'Activities' },
    titleField: 'subject',
    schema: activitySchema,
    createBody: activityCreateBody,
    updateBody: activityUpdateBody,
    listFields: ACTIVITY_FIELDS,
    relations: {
      ...PEOPLE,
      assigneeId: 'user',
      // Its other links, to records of any object with a timeline, are in `links`.
      ...NAMED_LINKS,
    },
    capabilities: {
      trash: false,
      merge: false,
      import: false,
      export: false,
      customFields: false,
      workflows: true,
      timeline: false,
    },
  },
];
