import { ApiError } from '../../api/client';
import { Button, EmptyState } from '../../components/ui';

/** Ends a message as a sentence, so that the advice after it reads on. */
const asSentence = (message: string) => (/[.!?]$/.test(message) ? message : `${message}.`);

/**
 * What a settings page shows when its list could not be loaded: a 403 says who may open the page
 * (`whoMay`, else the API's message, which names the permission), anything else the API's own
 * message and, given `onRetry`, a way to try again (a retry cannot help a 403).
 */
export function LoadProblem({
  error,
  whoMay,
  onRetry,
}: {
  error: unknown;
  whoMay?: string | undefined;
  onRetry?: () => void;
}) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div data-testid={forbidden ? 'forbidden' : 'load-error'} role="alert">
      <EmptyState
        title={forbidden ? 'You cannot open this page' : 'This page could not be loaded'}
        body={
          forbidden
            ? `${whoMay ?? asSentence(error.message)} Ask an admin if you need access.`
            : error instanceof Error
              ? error.message
              : 'Something went wrong. Try again in a moment.'
        }
        action={
          onRetry && !forbidden ? (
            <Button variant="secondary" onClick={onRetry}>
              Try again
            </Button>
          ) : undefined
        }
      />
    </div>
  );
}
