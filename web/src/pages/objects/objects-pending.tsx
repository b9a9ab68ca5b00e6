import { Skeleton } from '../../components/ui';
import NotFound from '../not-found';

/** What an object page shows while the object descriptions load, or when they cannot. */
export function ObjectsPending({ failed }: { failed: boolean }) {
  return failed ? (
    <NotFound />
  ) : (
    <div className="mx-auto max-w-6xl">
      <Skeleton rows={8} />
    </div>
  );
}
