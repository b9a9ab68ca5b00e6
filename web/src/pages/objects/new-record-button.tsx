import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { can, recordPermission, useMe } from '../../api/session';
import { useObjects } from '../../api/use-objects';
import { Button } from '../../components/ui';
import { useShortcut } from '../../lib/use-shortcut';
import { CreateRecordDialog } from './create-record-dialog';

/**
 * "New <object>" for a module's own page (the deals board): the generic create form of the
 * object, also on the `n` key, opening the new record afterwards.
 */
export function NewRecordButton({ objectKey }: { objectKey: string }) {
  const me = useMe().data;
  const navigate = useNavigate();
  const objects = useObjects();
  const [open, setOpen] = useState(false);
  const object = objects.data?.find((o) => o.key === objectKey);
  const mayCreate = object !== undefined && can(me, recordPermission(object, 'create'));
  const openNew = useCallback(() => setOpen(true), []);
  useShortcut('n', openNew, mayCreate);
  if (!object || !objects.data || !mayCreate) return null;
  return (
    <>
      <Button onClick={openNew} data-testid="new-record" aria-keyshortcuts="n">
        New {object.labels.singular.toLowerCase()}
      </Button>
      <CreateRecordDialog
        object={object}
        objects={objects.data}
        open={open}
        onOpenChange={setOpen}
        onCreated={(r) => void navigate(`/${object.resource}/${r.id}`)}
      />
    </>
  );
}
