import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { Card } from '../../components/ui';
import { ActivityComposer, takesActivities } from '../activity-composer';
import { RecordActivities } from '../record-activities';
import { titleOf } from '../record-links';

/**
 * The activities and the composer, for every object activities can be logged on; the history
 * tab (activities and field changes from the audit log) where the object has a timeline.
 */
export function RecordTimeline({
  object,
  objects,
  record,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  record: ObjectRecord;
}) {
  const queryClient = useQueryClient();
  if (!takesActivities(object, objects)) return null;
  const target = { objectType: object.key, recordId: record.id };
  const timelineKey = keys.records(object.resource).timeline(record.id);
  return (
    <>
      <Card className="p-4">
        <ActivityComposer
          target={target}
          recordName={titleOf(record, object.titleField)}
          onLogged={() => void queryClient.invalidateQueries({ queryKey: timelineKey })}
        />
      </Card>
      <RecordActivities
        target={target}
        timelineKey={timelineKey}
        {...(object.capabilities.timeline
          ? { timelineOf: { resource: object.resource, id: record.id } }
          : {})}
      />
    </>
  );
}
