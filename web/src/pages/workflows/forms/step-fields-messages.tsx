import { useController } from 'react-hook-form';
import { Field, Select } from '../../../components/ui';
import { UserPicker } from './people-pickers';
import { TemplateField, TextField, type StepFieldsProps } from './step-field-kit';

/** create_task: subject, body, due in days, assignee. */
export function TaskFields({ kit }: { kit: StepFieldsProps }) {
  const assignTo = useController({ control: kit.form.control, name: 'assignTo' }).field;
  return (
    <>
      <TemplateField
        kit={kit}
        name="subject"
        label="Subject"
        testId="step-subject"
        placeholder="Call {{contact.firstName}}"
      />
      <TemplateField kit={kit} name="body" label="Notes (optional)" multiline testId="step-body" />
      <TextField
        kit={kit}
        name="dueInDays"
        label="Due in (days)"
        inputMode="numeric"
        placeholder="No due date"
        testId="step-due"
        hint="Days after the step runs; 0 is the same day, empty is no due date."
      />
      <UserPicker
        id={`${kit.idPrefix}-assignTo`}
        label="Assign to"
        withOwner
        value={assignTo.value}
        onChange={assignTo.onChange}
        error={kit.errorOf('assignTo')}
        testId="step-assignee"
      />
    </>
  );
}

/** send_email: the record's contact or an address template, subject, body. */
export function EmailFields({ kit }: { kit: StepFieldsProps }) {
  const toMode = kit.form.watch('toMode');
  const id = `${kit.idPrefix}-toMode`;
  return (
    <>
      <Field label="Send to" id={id}>
        <Select id={id} data-testid="step-to-mode" {...kit.form.register('toMode')}>
          <option value="contact">The record&apos;s contact (or the lead)</option>
          <option value="address">An address…</option>
        </Select>
      </Field>
      {toMode === 'address' ? (
        <TemplateField
          kit={kit}
          name="to"
          label="Address"
          testId="step-to"
          placeholder="{{deal.custom.billingEmail}} or sales@example.com"
        />
      ) : null}
      <TemplateField kit={kit} name="subject" label="Subject" testId="step-subject" />
      <TemplateField
        kit={kit}
        name="body"
        label="Body"
        multiline
        testId="step-body"
        hint="Plain text; inserted values are escaped in the HTML part."
      />
    </>
  );
}

/** notify: recipient, title, body. */
export function NotifyFields({ kit }: { kit: StepFieldsProps }) {
  const userId = useController({ control: kit.form.control, name: 'userId' }).field;
  return (
    <>
      <UserPicker
        id={`${kit.idPrefix}-userId`}
        label="Notify"
        withOwner
        value={userId.value}
        onChange={userId.onChange}
        error={kit.errorOf('userId')}
        testId="step-recipient"
      />
      <TemplateField kit={kit} name="title" label="Title" testId="step-title" />
      <TemplateField
        kit={kit}
        name="body"
        label="Message (optional)"
        multiline
        testId="step-body"
      />
    </>
  );
}

/** call_webhook: URL and JSON body template. */
export function WebhookFields({ kit }: { kit: StepFieldsProps }) {
  return (
    <>
      <TextField
        kit={kit}
        name="url"
        label="URL"
        inputMode="url"
        placeholder="https://example.com/hooks/cerebro"
        testId="step-url"
        hint="Signed with the workflow's secret; private addresses are refused unless an admin allows them."
      />
      <TemplateField
        kit={kit}
        name="body"
        label="JSON body (optional)"
        multiline
        testId="step-body"
        placeholder='{"email": {{contact.email}}}'
        hint="Each placeholder becomes a JSON value, so leave out the quotes. Empty sends the record, the webhook body and the changes."
      />
    </>
  );
}
