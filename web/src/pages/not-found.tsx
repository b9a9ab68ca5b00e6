import { Link, useLocation } from 'react-router';
import { EmptyState, PageHeader } from '../components/ui';

/** Any address the app does not know: say so, instead of silently showing Home. */
export default function NotFound() {
  const { pathname } = useLocation();
  return (
    <div className="space-y-5" data-testid="not-found">
      <PageHeader title="Page not found" />
      <EmptyState
        title={`Nothing lives at ${pathname}`}
        body="The link may be old, or the record was deleted. Search with Ctrl+K, or start from Home."
        action={
          <Link className="text-sm font-medium text-accent" to="/">
            Go to Home
          </Link>
        }
      />
    </div>
  );
}
