import { Link } from 'react-router';

/** A Home card's title, with a link to the page that shows all of it. */
export function CardHeading({
  title,
  to,
  linkLabel,
}: {
  title: string;
  to?: string;
  linkLabel?: string;
}) {
  return (
    <div className="mb-2 flex items-baseline justify-between gap-2 px-1">
      <h2 className="font-medium text-ink">{title}</h2>
      {to && linkLabel ? (
        <Link to={to} className="text-xs text-accent hover:underline">
          {linkLabel} →
        </Link>
      ) : null}
    </div>
  );
}
