/** The three-step workflow the benchmarks start on each new contact: add_tag → create_task → notify. */
export const THREE_STEP_DRAFT = {
  trigger: { type: 'record_created', object: 'contact' },
  conditions: null,
  layout: {},
  start: 'tag',
  steps: [
    { id: 'tag', type: 'add_tag', tag: 'new', next: 'task' },
    { id: 'task', type: 'create_task', subject: 'Call {{contact.firstName}}', next: 'tell' },
    { id: 'tell', type: 'notify', title: 'New contact {{contact.firstName}}', next: null },
  ],
};
