import { Link, useParams } from 'react-router';
import { useObjects } from '../../api/use-objects';
import { Skeleton } from '../../components/ui';
import NotFound from '../not-found';
import { ObjectListPage } from './object-list-page';
import { ObjectRecordPage } from './object-record-page';

const LINK_BUTTON =
  'inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted';

/**
 * `/{resource}` and `/{resource}/{id}` of any object the registry describes: its generic list or
 * record page. An address that names no object is a page that does not exist.
 */
export default function ObjectRoute() {
  const { resource, id } = useParams();
  const objects = useObjects();
  if (!objects.data)
    return objects.isError ? (
      <NotFound />
    ) : (
      <div className="mx-auto max-w-6xl">
        <Skeleton rows={8} />
      </div>
    );
  const object = objects.data.find((o) => o.resource === resource);
  if (!object) return <NotFound />;
  if (id) return <ObjectRecordPage key={id} object={object} objects={objects.data} id={id} />;
  return (
    <ObjectListPage
      object={object}
      objects={objects.data}
      actions={
        object.capabilities.merge ? (
          <Link to={`/duplicates?type=${object.resource}`} className={LINK_BUTTON}>
            Duplicates
          </Link>
        ) : null
      }
    />
  );
}
