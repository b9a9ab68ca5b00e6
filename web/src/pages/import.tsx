import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { ImportJob } from '../api/types';
import { Stepper } from '../components/stepper';
import { PageHeader, Skeleton } from '../components/ui';
import { CheckStep } from './import/check-step';
import { IMPORT_STEPS, importWordsOf } from './import/kinds';
import { MappingStep } from './import/mapping-step';
import { RunStep } from './import/run-step';
import { UploadStep } from './import/upload-step';
import { useImportJob } from './import/use-import-job';

/** Where an import's page is: its object's list path, then `/import/<id>`. */
const importPath = (job: Pick<ImportJob, 'objectType' | 'id'>, step?: 'map' | 'check') =>
  `${importWordsOf(job.objectType).path}/import/${job.id}${step ? `?step=${step}` : ''}`;

/**
 * The import wizard: upload → map the columns (with a preview) → check (a dry run) → import the
 * same upload, watch it run and roll it back. The URL holds the step, so reloading or going back
 * lands on the same screen; a dry run is on the mapping or check step, a real import on the last.
 */
export default function ImportPage({ objectType }: { objectType: string }) {
  const { id } = useParams();
  const words = importWordsOf(objectType);
  const navigate = useNavigate();
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        title={`Import ${words.plural}`}
        description="CSV or Excel. Exports from HubSpot, Salesforce and Pipedrive are recognized; bad rows are reported and never stop the good ones."
      />
      {id ? (
        <ImportSteps id={id} onRestart={() => void navigate(`${words.path}/import`)} />
      ) : (
        <>
          <Stepper steps={IMPORT_STEPS} current={0} label="Import steps" />
          <UploadStep
            objectType={objectType}
            onUploaded={(job) => void navigate(importPath(job, 'map'))}
          />
        </>
      )}
    </div>
  );
}

/** The steps after the upload, for the import (or dry run) in the URL. */
function ImportSteps({ id, onRestart }: { id: string; onRestart: () => void }) {
  const job = useImportJob(id);
  const [search] = useSearchParams();
  const navigate = useNavigate();
  if (!job.data) return <Skeleton rows={4} />;
  const j = job.data;
  const current = !j.dryRun ? 3 : search.get('step') === 'check' ? 2 : 1;
  return (
    <>
      <Stepper steps={IMPORT_STEPS} current={current} label="Import steps" />
      {current === 1 ? (
        <MappingStep
          key={j.id}
          job={j}
          onBack={onRestart}
          onCheck={(dryRunId) => void navigate(importPath({ ...j, id: dryRunId }, 'check'))}
        />
      ) : current === 2 ? (
        <CheckStep
          key={j.id}
          job={j}
          onBack={() => void navigate(importPath(j, 'map'))}
          onImported={(importId) => void navigate(importPath({ ...j, id: importId }))}
        />
      ) : (
        <RunStep job={j} />
      )}
    </>
  );
}
