import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '../../components/ui';

const VERIFY_SNIPPET = `// Node.js: rawBody is the request body exactly as received (before JSON.parse)
const [, t, v1] = /^t=(\\d+),v1=([0-9a-f]{64})$/.exec(req.headers['x-cerebro-signature']) ?? [];
const expected = crypto.createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest('hex');
const valid = v1 !== undefined
  && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(v1))
  && Math.abs(Date.now() / 1000 - Number(t)) < 300;`;

/** The signing secret, shown once after create, with how a receiver checks `X-Cerebro-Signature`. */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const copy = () =>
    void navigator.clipboard.writeText(secret).then(
      () => toast.success('Secret copied'),
      () => toast.error('Could not copy; select the secret and copy it by hand'),
    );
  return (
    <div className="space-y-4">
      <div className="flex items-stretch gap-2">
        <code
          className="block min-w-0 flex-1 break-all rounded-md bg-muted p-3 font-mono text-sm text-ink"
          data-testid="webhook-secret"
          aria-label="Signing secret"
        >
          {secret}
        </code>
        <Button
          variant="secondary"
          onClick={copy}
          data-testid="copy-webhook-secret"
          aria-label="Copy the signing secret"
          className="h-auto"
        >
          <Copy size={14} aria-hidden /> Copy
        </Button>
      </div>
      <section aria-labelledby="verify-heading" className="space-y-2 text-sm text-ink-soft">
        <h3 id="verify-heading" className="font-medium text-ink">
          Verifying deliveries
        </h3>
        <p>
          Every request carries{' '}
          <code className="whitespace-nowrap text-ink">
            X-Cerebro-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;
          </code>
          . Compute HMAC-SHA256 with this secret as the key over{' '}
          <code className="text-ink">t + "." + raw body</code>, compare it with{' '}
          <code className="text-ink">v1</code> in constant time, and refuse a{' '}
          <code className="text-ink">t</code> more than five minutes old. Retries keep their{' '}
          <code className="whitespace-nowrap text-ink">X-Cerebro-Delivery</code> id: use it to
          ignore duplicates.
        </p>
        <pre className="overflow-x-auto rounded-md border border-line bg-surface p-3 font-mono text-xs leading-relaxed text-ink">
          {VERIFY_SNIPPET}
        </pre>
      </section>
      <div className="flex justify-end">
        <Button onClick={onDone} data-testid="webhook-secret-done">
          I have stored the secret
        </Button>
      </div>
    </div>
  );
}
