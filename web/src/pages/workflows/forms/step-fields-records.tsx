import { X } from 'lucide-react';
import { useController } from 'react-hook-form';
import { Button, Field, Select } from '../../../components/ui';
import type { WorkflowObject } from '../definition-types';
import {
  fieldsOf,
  objectNounOf,
  objectOptions,
  type FieldCatalogs,
  type FieldInfo,
} from './field-catalog';
import { FieldSelect } from './field-select';
import type { StepFieldsProps } from './step-field-kit';
import type { ValueRow } from './step-model';
import { TemplateInput } from './template-input';

/**
 * What creating a built-in record type needs at the least, where its REST create body's rule is
 * more than "these fields are required" (one of several); other types say their required fields.
 */
const CREATE_NEEDS: Readonly<Record<string, string>> = {
  contact: 'A contact needs a first name, a last name or an email.',
  company: 'A company needs a name.',
  lead: 'A lead needs a first name, a last name, an email or a company name.',
  deal: 'A deal needs a name; it goes to the default pipeline unless you set one.',
  activity: 'An activity needs a type (call, email, meeting, note or task) and a subject.',
  ticket: 'A ticket needs a subject.',
};

const VALUE_HINTS: Partial<Record<FieldInfo['kind'], string>> = {
  tags: 'Separate tags with commas.',
  number: 'A number, or a placeholder.',
  id: 'An id, or a placeholder such as {{deal.ownerId}}.',
  date: 'YYYY-MM-DD, or a placeholder.',
  boolean: 'true or false.',
};

/** What a create step of this record type must set, in a sentence. */
function createNeeds(catalogs: FieldCatalogs, object: WorkflowObject): string | undefined {
  const known = CREATE_NEEDS[object];
  if (known) return known;
  const catalog = catalogs.get(object);
  if (!catalog?.required.length) return undefined;
  return `A ${catalog.noun} needs: ${catalog.required.join(', ')}.`;
}

/** The field/value rows of a create or update record step. */
function ValueRows({ kit, fields }: { kit: StepFieldsProps; fields: readonly FieldInfo[] }) {
  const { field } = useController({ control: kit.form.control, name: 'values' });
  const rows = field.value;
  const set = (i: number, row: ValueRow) => field.onChange(rows.map((r, j) => (j === i ? row : r)));
  const unused = fields.find((f) => !rows.some((r) => r.field === f.key));
  const listError = kit.errorOf('values');
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-ink">Fields to set</legend>
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-2 text-xs text-ink-soft">
          No field yet. Add the fields this step writes.
        </p>
      ) : null}
      {rows.map((row, i) => {
        const info = fields.find((f) => f.key === row.field);
        const fieldError = kit.errorOf(`values.${i}.field`);
        const id = `${kit.idPrefix}-v${i}`;
        const hint = info?.choices?.length
          ? `One of: ${info.choices.join(', ')}.`
          : info
            ? VALUE_HINTS[info.kind]
            : undefined;
        return (
          <div key={i} className="space-y-1.5 rounded-md bg-muted/60 p-2" data-testid="value-row">
            <div className="flex gap-1.5">
              <FieldSelect
                id={`${id}-field`}
                label="Field"
                value={row.field}
                fields={fields}
                className="min-w-0 flex-1"
                testId="value-field"
                invalid={Boolean(fieldError)}
                describedBy={fieldError ? `${id}-field-error` : undefined}
                onChange={(key) => set(i, { ...row, field: key })}
              />
              <Button
                variant="ghost"
                size="sm"
                className="h-9"
                aria-label="Remove field"
                onClick={() => field.onChange(rows.filter((_, j) => j !== i))}
              >
                <X size={14} aria-hidden />
              </Button>
            </div>
            {fieldError ? (
              <p id={`${id}-field-error`} role="alert" className="text-xs text-danger">
                {fieldError}
              </p>
            ) : null}
            <TemplateInput
              id={`${id}-value`}
              label={`Value${info ? ` of ${info.label}` : ''}`}
              value={row.value}
              onChange={(value) => set(i, { ...row, value })}
              groups={kit.groups}
              error={kit.errorOf(`values.${i}.value`)}
              testId="value-input"
              placeholder="Empty clears the field"
            />
            {hint ? <p className="text-xs text-ink-soft">{hint}</p> : null}
          </div>
        );
      })}
      {listError ? (
        <p role="alert" className="text-xs text-danger">
          {listError}
        </p>
      ) : null}
      <Button
        variant="secondary"
        size="sm"
        onClick={() => field.onChange([...rows, { field: unused?.key ?? '', value: '' }])}
        data-testid="value-add"
      >
        Add field
      </Button>
    </fieldset>
  );
}

/** create_record: the record type and its fields. */
export function CreateRecordFields({ kit }: { kit: StepFieldsProps }) {
  const object = kit.form.watch('object');
  const id = `${kit.idPrefix}-object`;
  return (
    <>
      <Field label="Record type" id={id} hint={createNeeds(kit.ctx.catalogs, object)}>
        <Select id={id} data-testid="step-object" {...kit.form.register('object')}>
          {objectOptions(kit.ctx.catalogs, object).map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <ValueRows kit={kit} fields={fieldsOf(kit.ctx.catalogs, object).filter((f) => f.writable)} />
    </>
  );
}

/** update_record: fields of the trigger record. */
export function UpdateRecordFields({ kit }: { kit: StepFieldsProps }) {
  const object = kit.ctx.triggerObject;
  if (!object)
    return (
      <p className="rounded-md bg-muted p-3 text-sm text-ink-soft">
        This trigger starts without a record, so there is nothing to update. Use &ldquo;Create
        record&rdquo;, or start the workflow on a record.
      </p>
    );
  return (
    <>
      <p className="text-xs text-ink-soft">
        Changes the {objectNounOf(kit.ctx.catalogs, object)} that started the run.
      </p>
      <ValueRows kit={kit} fields={fieldsOf(kit.ctx.catalogs, object).filter((f) => f.writable)} />
    </>
  );
}
