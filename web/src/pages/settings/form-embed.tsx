import { useQuery } from '@tanstack/react-query';
import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Button, Card, Skeleton } from '../../components/ui';

/** The HTML to paste into a website, as the server renders it for the saved form, with a Copy button. */
export function FormEmbed({ formId, version }: { formId: string; version: number }) {
  const embed = useQuery({
    queryKey: keys.webForms.embed(formId, version),
    queryFn: () =>
      unwrap(http.GET('/api/v1/forms/{id}/embed', { params: { path: { id: formId } } })),
  });
  const copy = (html: string) =>
    void navigator.clipboard.writeText(html).then(
      () => toast.success('Snippet copied'),
      () => toast.error('Could not copy; select the snippet and copy it by hand'),
    );
  return (
    <Card className="min-w-0 space-y-3">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold text-ink">Embed on your website</h2>
          <p className="mt-1 text-sm text-ink-soft">
            Paste this where the form should appear. It posts straight to Cerebro; no script needed.
          </p>
        </div>
        {embed.data ? (
          <Button
            variant="secondary"
            size="sm"
            data-testid="form-embed-copy"
            onClick={() => embed.data && copy(embed.data.html)}
          >
            <Copy size={14} aria-hidden /> Copy
          </Button>
        ) : null}
      </div>
      {embed.isPending ? (
        <Skeleton rows={3} />
      ) : embed.isError ? (
        <p role="alert" className="text-sm text-danger">
          {embed.error.message}
        </p>
      ) : (
        <>
          <pre
            tabIndex={0}
            aria-label="Embed snippet"
            data-testid="form-embed-html"
            className="max-h-72 overflow-auto rounded-md bg-muted p-3 font-mono text-xs text-ink"
          >
            {embed.data.html}
          </pre>
          <p className="text-xs text-ink-soft">
            Posts to <code className="break-all font-mono">{embed.data.submitUrl}</code>
          </p>
        </>
      )}
    </Card>
  );
}
