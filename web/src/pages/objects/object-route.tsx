import { useParams } from 'react-router';
import { useObjects } from '../../api/use-objects';
import NotFound from '../not-found';
import { ObjectListPage } from './object-list-page';
import { ObjectRecordPage } from './object-record-page';
import { ObjectsPending } from './objects-pending';

/**
 * `/{resource}` and `/{resource}/{id}` of any object the registry describes: its generic list or
 * record page. An address that names no object is a page that does not exist.
 */
export default function ObjectRoute() {
  const { resource, id } = useParams();
  const objects = useObjects();
  if (!objects.data) return <ObjectsPending failed={objects.isError} />;
  const object = objects.data.find((o) => o.resource === resource);
  if (!object) return <NotFound />;
  if (id) return <ObjectRecordPage key={id} object={object} objects={objects.data} id={id} />;
  return <ObjectListPage object={object} objects={objects.data} />;
}
