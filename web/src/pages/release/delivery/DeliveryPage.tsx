import { Stack, TextInput } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PERMISSIONS } from '../../../api/permissions';
import { PageTitle } from '../../../components/PageTitle';
import { useSession } from '../../../session/SessionProvider';
import { DownloadLinksPanel } from './DownloadLinksPanel';
import { SendLinkForm } from './SendLinkForm';

/**
 * Secure delivery for one patient, until the release request page hosts the same two parts. The
 * patient is named by id in the address, never by name.
 */
export function DeliveryPage() {
  const [params, setParams] = useSearchParams();
  const { hasPermission } = useSession();
  const patientId = params.get('patientId') ?? '';
  return (
    <Stack gap="lg">
      <PageTitle>Secure delivery</PageTitle>
      <TextInput
        label="Patient record id"
        maw={420}
        value={patientId}
        onChange={(e) => setParams(e.currentTarget.value ? { patientId: e.currentTarget.value.trim() } : {}, { replace: true })}
      />
      {patientId && (
        <>
          <SendLinkForm patientId={patientId} />
          <DownloadLinksPanel patientId={patientId} canRevoke={hasPermission(PERMISSIONS.releaseWrite)} />
        </>
      )}
    </Stack>
  );
}
