import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys as queryKeys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  Field,
  formatDate,
  Input,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

export default function ApiKeys() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: () => unwrap(http.GET('/api/v1/api-keys', { params: { query: { limit: 200 } } })),
  });
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [secret, setSecret] = useState<string | null>(null);
  const mine = me?.permissions.map((p) => p.permission) ?? [];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
  const create = useMutation({
    mutationFn: () =>
      unwrap(http.POST('/api/v1/api-keys', { body: { name, scopes: [...scopes] } })),
    onSuccess: (k) => (setSecret(k.secret), setName(''), setScopes(new Set()), refresh()),
    onError: (e) => showApiError(e),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
    onError: (e) => showApiError(e),
  });
  return (
    <div className="space-y-5">
      <PageHeader
        title="API keys"
        description="Keys act as you, limited to the scopes you choose. Use them as Bearer tokens."
        actions={
          can(me, 'api-keys:create') ? (
            <Button onClick={() => (setSecret(null), setOpen(true))} data-testid="create-api-key">
              New key
            </Button>
          ) : null
        }
      />
      {keys.isPending ? (
        <Skeleton />
      ) : keys.data?.data.length === 0 ? (
        <EmptyState
          title="No API keys"
          body="Create a key to connect scripts, Zapier or your own integrations to Cerebro."
        />
      ) : (
        <Table head={['Name', 'Key', 'Scopes', 'Created', 'Last used', '']}>
          {keys.data?.data.map((k) => (
            <tr key={k.id}>
              <Td className="font-medium">{k.name}</Td>
              <Td>
                <code className="text-xs">crb_{k.prefix}_…</code>
              </Td>
              <Td>
                <div className="flex max-w-72 flex-wrap gap-1">
                  {k.scopes.map((s) => (
                    <Badge key={s}>{s}</Badge>
                  ))}
                </div>
              </Td>
              <Td>{formatDate(k.createdAt)}</Td>
              <Td>{formatDate(k.lastUsedAt)}</Td>
              <Td className="text-right">
                <Button size="sm" variant="secondary" onClick={() => revoke.mutate(k.id)}>
                  Revoke
                </Button>
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={secret ? 'Copy your key now' : 'New API key'}
        description={
          secret
            ? 'It is shown only once. Store it in a secret manager.'
            : 'Choose a name and what the key may do.'
        }
      >
        {secret ? (
          <div className="space-y-3">
            <code
              className="block break-all rounded-md bg-muted p-3 text-sm text-ink"
              data-testid="api-key-secret"
            >
              {secret}
            </code>
            <div className="flex justify-end gap-2">
              <Button
                variant="secondary"
                onClick={() =>
                  void navigator.clipboard.writeText(secret).then(() => toast.success('Copied'))
                }
              >
                Copy
              </Button>
              <Button onClick={() => setOpen(false)}>Done</Button>
            </div>
          </div>
        ) : (
          <form className="space-y-3" onSubmit={(e) => (e.preventDefault(), create.mutate())}>
            <Field label="Name" id="key-name">
              <Input
                id="key-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. Zapier"
              />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-ink">Scopes</legend>
              <div className="mt-2 grid max-h-56 grid-cols-2 gap-1 overflow-y-auto rounded-md border border-line p-2 text-sm">
                {mine.map((p) => (
                  <label key={p} className="flex items-center gap-2 text-ink">
                    <input
                      type="checkbox"
                      checked={scopes.has(p)}
                      onChange={(e) =>
                        setScopes((s) => {
                          const n = new Set(s);
                          if (e.target.checked) n.add(p);
                          else n.delete(p);
                          return n;
                        })
                      }
                    />
                    {p}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!name.trim() || scopes.size === 0}>
                Create key
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </div>
  );
}
