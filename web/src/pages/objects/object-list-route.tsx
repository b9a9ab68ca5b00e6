import { useObjects } from '../../api/use-objects';
import NotFound from '../not-found';
import type { ListExtension } from './list-extension';
import { ObjectListPage } from './object-list-page';
import { ObjectsPending } from './objects-pending';

/**
 * The generic list page of one built-in object with what its module adds (`/tickets`,
 * `/contacts`): the module's route names the object and its extension, nothing more.
 */
export function ObjectListRoute({
  objectKey,
  extension,
}: {
  objectKey: string;
  extension: ListExtension;
}) {
  const objects = useObjects();
  if (!objects.data) return <ObjectsPending failed={objects.isError} />;
  const object = objects.data.find((o) => o.key === objectKey);
  if (!object) return <NotFound />;
  return <ObjectListPage object={object} objects={objects.data} extension={extension} />;
}
