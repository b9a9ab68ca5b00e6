import type { ReactNode } from 'react';

/** The centered card every sign-in page uses. */
export function AuthFrame({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="flex min-h-screen items-center justify-center bg-surface px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <span className="grid size-9 place-items-center rounded-lg bg-accent text-base font-bold text-on-accent">
            C
          </span>
          <span className="text-lg font-semibold text-ink">Cerebro</span>
        </div>
        <div className="rounded-xl border border-line bg-panel p-6 shadow-sm">
          <h1 className="text-lg font-semibold text-ink">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-ink-soft">{subtitle}</p> : null}
          <div className="mt-5">{children}</div>
        </div>
        {footer ? <div className="mt-4 text-center text-sm text-ink-soft">{footer}</div> : null}
      </div>
    </div>
  );
}
