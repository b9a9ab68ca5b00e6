import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { http, unwrap } from '../../api/http';
import { Badge, Button, formatDate, Table, Td } from '../../components/ui';
import { FORMS_KEY, FORMS_WHO_MAY, type WebForm } from './form-model';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { SettingsListPage } from './settings-list-page';
import { usePeopleOptions } from './use-people-options';

/** Settings → Web forms: the forms that turn a website's visitors into leads. */
export default function Forms() {
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState<WebForm | null>(null);
  const people = usePeopleOptions();
  const list = useQuery({
    queryKey: FORMS_KEY,
    queryFn: () => unwrap(http.GET('/api/v1/forms', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  const handleNew = () => void navigate('/settings/forms/new');
  return (
    <SettingsListPage
      title="Web forms"
      description="Forms you embed on your website: every submission becomes a lead, placed by the form's defaults or your assignment rules."
      list={list}
      whoMay={FORMS_WHO_MAY}
      newAction={{ label: 'New form', testId: 'form-new', onClick: handleNew, shortcut: 'n' }}
      empty={{
        title: 'No web forms yet',
        body: 'Create a form, choose the lead fields it asks for, then paste its snippet into your website. Each submission arrives here as a lead.',
        actionLabel: 'Create your first form',
      }}
      dialogs={
        <ConfirmDeleteDialog
          item={deleting}
          noun="form"
          consequence="Pages that embed it will get an error when visitors send it. Leads it already captured stay."
          remove={(id) => unwrap(http.DELETE('/api/v1/forms/{id}', { params: { path: { id } } }))}
          listKey={FORMS_KEY}
          testId="form-delete-confirm"
          onClose={() => setDeleting(null)}
        />
      }
    >
      {(forms) => (
        <Table head={['Name', 'Fields', 'Leads go to', 'Status', 'Updated', '']}>
          {forms.map((f) => (
            <tr key={f.id} data-testid="form-row">
              <Td>
                <Link
                  to={`/settings/forms/${f.id}`}
                  className="font-medium text-ink hover:text-accent"
                >
                  {f.name}
                </Link>
              </Td>
              <Td className="text-ink-soft">
                <span className="line-clamp-2 max-w-64">
                  {f.fields.map((x) => x.label).join(', ')}
                </span>
              </Td>
              <Td className="text-ink-soft">
                {people.userName(f.defaultOwnerId) ??
                  (f.defaultTeamId
                    ? `${people.teamName(f.defaultTeamId) ?? ''} (rules decide)`
                    : 'Assignment rules')}
              </Td>
              <Td>{f.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</Td>
              <Td className="whitespace-nowrap text-ink-soft">{formatDate(f.updatedAt)}</Td>
              <Td className="whitespace-nowrap text-right">
                <div className="flex justify-end gap-1.5">
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={`Edit ${f.name}`}
                    onClick={() => void navigate(`/settings/forms/${f.id}`)}
                  >
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid="form-delete"
                    aria-label={`Delete ${f.name}`}
                    onClick={() => setDeleting(f)}
                  >
                    Delete
                  </Button>
                </div>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </SettingsListPage>
  );
}
