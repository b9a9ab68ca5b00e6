import { ApiError } from '../../api/client';
import { EmptyState } from '../../components/ui';

/**
 * What a settings page shows when its list could not be loaded: a 403 says who may open the page
 * (`whoMay`), anything else the API's own message.
 */
export function LoadProblem({ error, whoMay }: { error: unknown; whoMay: string }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div data-testid={forbidden ? 'forbidden' : 'load-error'} role="alert">
      <EmptyState
        title={forbidden ? 'You cannot open this page' : 'This page could not be loaded'}
        body={
          forbidden
            ? `${whoMay} Ask an admin if you need access.`
            : error instanceof Error
              ? error.message
              : 'Something went wrong. Try again in a moment.'
        }
      />
    </div>
  );
}
