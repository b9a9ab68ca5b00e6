import type { FieldProblem } from '../../api/client';
import { Card } from '../../components/ui';
import { nodeLabel, TRIGGER_NODE } from './builder-graph';
import type { Draft } from './definition-types';
import { definitionPath, isTriggerProblem, pathInWords, stepIndexOf } from './forms/problem-paths';

/** The node a problem is about: a step by its index in the path, the trigger for trigger/conditions/start. */
export function nodeOfProblem(draft: Draft, p: FieldProblem): string | null {
  const i = stepIndexOf(p.path);
  if (i !== null) return draft.steps[i]?.id ?? null;
  return isTriggerProblem(p.path) ? TRIGGER_NODE : null;
}

/** "Follow up › subject" rather than `draft.steps.2.subject`. */
function placeOf(draft: Draft, p: FieldProblem): string {
  const path = definitionPath(p.path);
  const i = stepIndexOf(path);
  const step = i === null ? undefined : draft.steps[i];
  if (step) {
    const rest = path.replace(/^steps\.\d+\.?/, '');
    return rest ? `${nodeLabel(step)} › ${pathInWords(rest)}` : nodeLabel(step);
  }
  if (!isTriggerProblem(path)) return pathInWords(path);
  const rest = path.replace(/^trigger\.?/, '');
  return rest ? `Trigger › ${pathInWords(rest)}` : 'Trigger';
}

/** What stops the draft from being saved or published; each entry opens the node it is about. */
export function ProblemList({
  draft,
  problems,
  onOpen,
}: {
  draft: Draft;
  problems: readonly FieldProblem[];
  onOpen: (node: string) => void;
}) {
  if (!problems.length) return null;
  return (
    <Card className="border-danger p-3">
      <p className="mb-1 text-sm font-medium text-danger">
        Fix {problems.length === 1 ? 'this' : `these ${problems.length}`} before publishing:
      </p>
      <ul className="list-disc space-y-0.5 pl-5 text-sm text-danger" data-testid="publish-problems">
        {problems.map((p) => {
          const node = nodeOfProblem(draft, p);
          const text = (
            <>
              <span className="font-medium">{placeOf(draft, p)}</span>: {p.message}
            </>
          );
          return (
            <li key={`${p.path}${p.message}`}>
              {node ? (
                <button
                  type="button"
                  className="inline text-left underline-offset-2 hover:underline"
                  onClick={() => onOpen(node)}
                >
                  {text}
                </button>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
