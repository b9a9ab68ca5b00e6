import { Package, Plus, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import type { Deal } from '../../api/types';
import { Button, Card, Input } from '../../components/ui';
import { formatMoney, parseMoneyInput, toMajorInput } from '../../lib/money';
import { useRecordUpdate } from '../../lib/use-record-update';
import { ProductPicker } from './product-picker';

type Line = Deal['lineItems'][number];
/** A line as the API takes it back: name and price stay what they are, whatever the product says now. */
type LineInput = Pick<Line, 'productId' | 'name' | 'quantity' | 'unitPrice' | 'discountPercent'>;
/** A line as the API takes it: a product line may leave its name and price to the product. */
type LineBody = Partial<LineInput> & { quantity: number };

const inputOf = (l: Line): LineInput => ({
  productId: l.productId,
  name: l.name,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  discountPercent: l.discountPercent,
});

const parseQuantity = (text: string): number | null => {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 1e9 ? n : null;
};
const parseDiscount = (text: string): number | null => {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
};

/** A number typed in place: saved on Enter or when it loses the focus, refused (and undone) when it is none. */
function CellInput({
  label,
  value,
  shown,
  parse,
  problem,
  onCommit,
}: {
  label: string;
  /** The saved value, in the API's units. */
  value: number;
  /** The saved value as the input shows it. */
  shown: string;
  parse: (text: string) => number | null;
  /** What to say when the text is not a value. */
  problem: string;
  onCommit: (value: number) => void;
}) {
  const [draft, setDraft] = useState(shown);
  const commit = () => {
    const next = parse(draft);
    if (next === null) {
      toast.error(`${label} ${problem}`);
      setDraft(shown);
    } else if (next !== value) onCommit(next);
  };
  return (
    <Input
      value={draft}
      inputMode="decimal"
      aria-label={label}
      className="h-8 w-24 text-right tabular-nums"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(shown);
      }}
    />
  );
}

/** A line without a product: a name, a quantity and a unit price. */
function FreeLineForm({
  currency,
  onAdd,
  onCancel,
}: {
  currency: string;
  onAdd: (line: LineInput) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [price, setPrice] = useState('');
  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    const q = parseQuantity(quantity);
    const unitPrice = parseMoneyInput(price, currency);
    if (!name.trim()) return void toast.error('Name the line');
    if (q === null) return void toast.error('Quantity must be a number above 0');
    if (unitPrice === null) return void toast.error(`Unit price must be an amount in ${currency}`);
    onAdd({ productId: null, name: name.trim(), quantity: q, unitPrice, discountPercent: 0 });
  };
  return (
    <form onSubmit={handleSubmit} className="flex flex-wrap items-end gap-2">
      <Input
        autoFocus
        aria-label="Line name"
        placeholder="What is it? (e.g. Onboarding)"
        value={name}
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        className="h-8 min-w-40 flex-1"
      />
      <Input
        aria-label="Line quantity"
        inputMode="decimal"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        className="h-8 w-20 text-right"
      />
      <Input
        aria-label={`Line unit price (${currency})`}
        placeholder={`Price (${currency})`}
        inputMode="decimal"
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        className="h-8 w-32 text-right"
      />
      <Button type="submit" size="sm">
        Add line
      </Button>
      <Button variant="ghost" size="sm" onClick={onCancel}>
        Cancel
      </Button>
    </form>
  );
}

/**
 * A deal's line items, edited in place: add a product or a free line, change quantity, unit price
 * and discount, remove. Every change sends the whole list; the API prices product lines, totals
 * each line and sets the deal's amount to their sum (deal-parts.ts), and this card shows its answer.
 */
export function DealLineItems({ deal }: { deal: Deal }) {
  const save = useRecordUpdate('deals', deal, 'deal');
  const [adding, setAdding] = useState<'product' | 'free' | null>(null);
  const lines = deal.lineItems.map(inputOf);
  const write = async (next: LineBody[]) => {
    setAdding(null);
    const outcome = await save({ lineItems: next }, 'lineItems');
    if (!outcome.ok && outcome.fieldError) toast.error(outcome.fieldError);
  };
  const change = (i: number, patch: Partial<LineInput>) =>
    void write(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const money = (minor: number) => formatMoney(minor, deal.currency, { exact: true });
  const th = 'px-2 py-2 font-medium';
  return (
    <Card className="p-4">
      <h2 className="font-medium text-ink">Line items</h2>
      <p className="mt-0.5 text-sm text-ink-soft" data-testid="deal-amount-rule">
        {deal.lineItems.length
          ? `The deal amount is the sum of these lines. Removing every line sets it to ${money(0)}.`
          : `No line items: the amount (${money(deal.amount)}) is typed by hand in Details. Adding a line makes the amount the sum of the lines.`}
      </p>
      {deal.lineItems.length ? (
        <div tabIndex={0} role="region" aria-label="Line items" className="mt-3 overflow-x-auto">
          <table className="w-full text-sm" data-testid="line-items">
            <thead className="border-b border-line text-left text-xs uppercase tracking-wide text-ink-soft">
              <tr>
                <th scope="col" className={th}>
                  Item
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Qty
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Unit price
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Discount %
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Total
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {deal.lineItems.map((l, i) => (
                // By position: every save gives the lines new ids, and the focus must stay in its row.
                <tr key={i} data-testid="line-item">
                  <td className="px-2 py-1.5 text-ink">
                    <span className="inline-flex items-center gap-1.5">
                      {l.productId ? (
                        <Package size={13} className="text-ink-soft" aria-label="Product" />
                      ) : null}
                      {l.name}
                    </span>
                  </td>
                  <td className="px-2 py-1.5 text-right">
                    <CellInput
                      key={l.quantity}
                      label={`Quantity of ${l.name}`}
                      value={l.quantity}
                      shown={String(l.quantity)}
                      parse={parseQuantity}
                      problem="must be a number above 0"
                      onCommit={(quantity) => change(i, { quantity })}
                    />
                  </td>
                  <td className="px-2 py-1.5 text-right">
                    <CellInput
                      key={l.unitPrice}
                      label={`Unit price of ${l.name} (${deal.currency})`}
                      value={l.unitPrice}
                      shown={toMajorInput(l.unitPrice, deal.currency)}
                      parse={(t) => parseMoneyInput(t, deal.currency)}
                      problem={`must be an amount in ${deal.currency}`}
                      onCommit={(unitPrice) => change(i, { unitPrice })}
                    />
                  </td>
                  <td className="px-2 py-1.5 text-right">
                    <CellInput
                      key={l.discountPercent}
                      label={`Discount of ${l.name} in percent`}
                      value={l.discountPercent}
                      shown={String(l.discountPercent)}
                      parse={parseDiscount}
                      problem="must be between 0 and 100"
                      onCommit={(discountPercent) => change(i, { discountPercent })}
                    />
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums text-ink">{money(l.total)}</td>
                  <td className="px-1 py-1.5 text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Remove ${l.name}`}
                      onClick={() => void write(lines.filter((_, j) => j !== i))}
                    >
                      <X size={14} aria-hidden />
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot className="border-t border-line">
              <tr>
                <th scope="row" colSpan={4} className="px-2 py-2 text-right font-medium text-ink">
                  Deal amount
                </th>
                <td
                  className="px-2 py-2 text-right font-semibold tabular-nums text-ink"
                  data-testid="line-items-total"
                >
                  {money(deal.amount)}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      <div className="mt-3">
        {adding === 'product' ? (
          <div className="space-y-2">
            <ProductPicker
              currency={deal.currency}
              onPick={(p, price) => {
                // The API names and prices a product line (from the default price list of the
                // deal's currency, else the product), but converts no currency: say so.
                if (!price)
                  toast.error(
                    `${p.name} is priced in ${p.currency} and this deal in ${deal.currency}, and no default ${deal.currency} price list prices it. Add it as a free line with a price in ${deal.currency}.`,
                  );
                else void write([...lines, { productId: p.id, quantity: 1 }]);
              }}
            />
            <Button variant="ghost" size="sm" onClick={() => setAdding(null)}>
              Cancel
            </Button>
          </div>
        ) : adding === 'free' ? (
          <FreeLineForm
            currency={deal.currency}
            onAdd={(line) => void write([...lines, line])}
            onCancel={() => setAdding(null)}
          />
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" size="sm" onClick={() => setAdding('product')}>
              <Package size={14} aria-hidden /> Add product
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setAdding('free')}>
              <Plus size={14} aria-hidden /> Add free line
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}
